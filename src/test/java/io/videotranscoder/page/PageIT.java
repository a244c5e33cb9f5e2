package io.videotranscoder.page;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.S3Server;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page in a real browser (Debian's chromium through chromium-driver) against the whole service: a clip
 * uploaded through the page becomes a job that succeeds, plays in the page and downloads; a running job is cancelled
 * from it; an upload interrupted half-way (the page reloaded) resumes and stores the file byte for byte; a wrong key
 * is said so, a right one kept; behind a proxy's path prefix it works the same. The browser's console has no error. Screenshots land in target/screenshots.
 */
class PageIT {

    private static final Duration JOB_TIME = Duration.ofSeconds(120);

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static Path clip;
    /** A minute at 320x180, made in a second: encoded at 1280x720 it runs long enough to be seen running. */
    static Path longer;
    static Path downloads;
    /** One browser for the class (a start costs seconds of CPU); each test begins with its storage cleared. */
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Browser.installed(), "chromium and chromium-driver are not installed here: skipped "
                                                    + "(.ci/run installs them)");
        clip = Media.clip(Files.createDirectories(root.resolve("clips")), "holiday.mp4", 2, "640x360");
        longer = Media.clip(root.resolve("clips"), "long.mp4", 60, "320x180");
        downloads = Files.createDirectories(root.resolve("downloads"));
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.concurrency", "1"));
        http = app.http();
        browser = Browser.start(root.resolve("profile"), downloads, 1100, 1400);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    /** The page as a first visit finds it: what an earlier test left in the browser's storage and console is gone. */
    @BeforeEach
    void open() {
        browser.get(http.base() + "/");
        browser.executeScript("localStorage.clear(); sessionStorage.clear();");
        Browser.consoleErrors(browser);
        browser.navigate().refresh();
        awaitPresets();
    }

    @Test
    void a_clip_uploaded_through_the_page_becomes_a_job_that_plays_and_downloads() throws Exception {
        browser.findElement(By.cssSelector("#preset option[value='h264-480p']")).click();
        Path second = Media.clip(root.resolve("clips"), "beach.mp4", 1, "320x240");
        browser.findElement(By.id("files")).sendKeys(clip + "\n" + second); // two files chosen at once

        WebElement upload = await().atMost(Duration.ofSeconds(30)).ignoreException(NoSuchElementException.class)
                .until(() -> browser.findElement(By.cssSelector("li[data-upload='holiday.mp4']")),
                        li -> "done".equals(li.getAttribute("data-state")));
        assertEquals("100", upload.findElement(By.tagName("progress")).getDomProperty("value").replace(".0", ""));
        await().atMost(Duration.ofSeconds(30)).ignoreException(NoSuchElementException.class)
                .until(() -> browser.findElement(By.cssSelector("li[data-upload='beach.mp4']"))
                        .getAttribute("data-state"), "done"::equals);
        WebElement job = await().atMost(JOB_TIME).until(() -> browser.findElements(By.cssSelector("#jobs li")).stream()
                .filter(r -> r.findElement(By.className("name")).getText().equals("holiday.mp4")).findFirst()
                .orElse(null), r -> r != null && "succeeded".equals(r.getAttribute("data-status")));
        String id = job.getAttribute("data-job-id");
        assertTrue(job.getText().contains("h264-480p"), job.getText());
        assertTrue(job.getText().contains("640×360"), "input facts shown: " + job.getText());

        WebElement video = preview(job, "video");
        browser.executeScript("arguments[0].muted = true; return arguments[0].play();", video);
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript(
                "return arguments[0].readyState;", video)).intValue() >= 2
                && ((Number) browser.executeScript("return arguments[0].currentTime;", video)).doubleValue() > 0);
        Browser.screenshot(browser, "page-job-succeeded");

        job.findElement(By.partialLinkText("Download output.mp4")).click();
        Path saved = downloads.resolve("holiday-h264-480p.mp4");
        // The browser saves it in its own time: over 20 s once on a clean clone's loaded run (four test JVMs beside it).
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(saved) && Files.size(saved) > 0);
        assertArrayEquals(Files.readAllBytes(app.dataDir().resolve(id).resolve("output.mp4")),
                Files.readAllBytes(saved), "the download is the output");
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    @Test
    void a_preview_plays_from_the_object_store_when_downloads_are_redirected_there() throws Exception {
        try (S3Server s3 = S3Server.start(root.resolve("s3"))) {
            Map<String, String> settings = new HashMap<>(s3.properties("page/"));
            settings.put("transcoder.s3-download", "redirect");
            try (TestApp stored = TestApp.start(root.resolve("stored"), settings)) {
                String id = stored.http().upload("/jobs", clip, "holiday.mp4", Map.of("preset", "h264-480p")).json()
                        .path("id").asText();
                await().atMost(JOB_TIME).until(() -> stored.http().get("/jobs/" + id + "?wait=20").json()
                        .path("status").asText(), "succeeded"::equals);
                assertEquals(302, stored.http().get("/jobs/" + id + "/output").status(), "the output is the store's");
                browser.get(stored.http().base() + "/");
                WebElement job = await().atMost(Duration.ofSeconds(20)).ignoreException(NoSuchElementException.class)
                        .until(() -> browser.findElement(By.cssSelector("#jobs li[data-job-id='" + id + "']")),
                                r -> "succeeded".equals(r.getAttribute("data-status")));
                WebElement video = preview(job, "video");
                browser.executeScript("arguments[0].muted = true; return arguments[0].play();", video);
                await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript(
                        "return arguments[0].readyState;", video)).intValue() >= 2);
                assertEquals(List.of(), Browser.consoleErrors(browser), "the page's policy let the video load");
            }
        }
    }

    /**
     * The API's docs (Swagger UI) draw every call under the same guards as the page: their policy lets nothing else
     * load or frame them, and breaks nothing of theirs (a blocked style, icon or script is a console error).
     */
    @Test
    void the_docs_page_draws_every_call_under_its_content_security_policy() {
        browser.get(http.base() + "/docs");

        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector(".opblock")).size()
                >= 26);
        assertTrue(browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .anyMatch(path -> path.getText().contains("/jobs/{id}/cancel")), "the document's own calls");
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    @Test
    void the_page_works_behind_a_path_prefix() throws Exception {
        try (PrefixProxy proxy = new PrefixProxy(Integer.parseInt(http.base().replaceAll(".*:", "")))) {
            browser.get("http://127.0.0.1:" + proxy.port() + PrefixProxy.PREFIX);
            awaitPresets();
            browser.findElement(By.id("files")).sendKeys(clip.toString());
            WebElement job = await().atMost(JOB_TIME).until(() -> browser.findElements(By.cssSelector("#jobs li"))
                    .stream().filter(r -> "succeeded".equals(r.getAttribute("data-status"))).findFirst().orElse(null),
                    r -> r != null);
            WebElement video = preview(job, "video");
            awaitMetadata(video);
            assertTrue(video.getAttribute("src").contains(PrefixProxy.PREFIX + "jobs/"), video.getAttribute("src"));
            assertEquals(List.of(), Browser.consoleErrors(browser));
        }
    }

    @Test
    void a_refused_option_is_shown_at_its_field_in_the_services_words() {
        browser.findElement(By.id("mode-custom")).click();
        // No option filled in: said so, rather than the default preset sent as if chosen.
        browser.findElement(By.id("files")).sendKeys(clip.toString());
        WebElement error = browser.findElement(By.id("codec-error"));
        await().atMost(Duration.ofSeconds(20)).until(error::isDisplayed);
        assertEquals("Fill in at least one option, or choose a preset.", error.getText());
        assertTrue(browser.findElements(By.cssSelector("li[data-upload='holiday.mp4']")).isEmpty(), "nothing sent");

        browser.findElement(By.id("codec")).sendKeys("libx264 -f null");
        browser.findElement(By.id("files")).sendKeys(clip.toString());
        await().atMost(Duration.ofSeconds(20)).until(error::getText, t -> t.startsWith("codec must be one of:"));
        assertEquals("true", browser.findElement(By.id("codec")).getAttribute("aria-invalid"));
        assertEquals("failed", browser.findElement(By.cssSelector("li[data-upload='holiday.mp4']"))
                .getAttribute("data-state"));
    }

    /**
     * A poster's preview is the picture. (An HLS ladder's plays through hls.js in the test of keys below, whose
     * requests must carry the key.)
     */
    @Test
    void a_posters_preview_is_its_picture() throws Exception {
        String poster = http.upload("/jobs", clip, "poster.mp4", Map.of("preset", "thumbnail")).json().path("id")
                .asText();
        browser.navigate().refresh();
        WebElement posterRow = succeeded(poster);
        WebElement image = preview(posterRow, "img");
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript(
                "return arguments[0].naturalWidth;", image)).intValue() == 640);
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    /** Clicks the row's Preview and returns what it shows ({@code video}, {@code img}) once it is there. */
    private static WebElement preview(WebElement row, String tag) {
        row.findElement(By.xpath(".//button[text()='Preview']")).click();
        return await().atMost(Duration.ofSeconds(20)).ignoreException(NoSuchElementException.class)
                .until(() -> row.findElement(By.tagName(tag)), e -> e != null);
    }

    /** Waits until the browser has read {@code media}'s length and size. */
    private static void awaitMetadata(WebElement media) {
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) browser.executeScript(
                "return arguments[0].readyState;", media)).intValue() >= 1);
    }

    private WebElement succeeded(String id) {
        return await().atMost(JOB_TIME).ignoreException(NoSuchElementException.class)
                .until(() -> browser.findElement(By.cssSelector("li[data-job-id='" + id + "']")),
                        r -> "succeeded".equals(r.getAttribute("data-status")));
    }

    @Test
    void a_running_job_is_cancelled_from_the_page() throws Exception {
        String id = http.upload("/jobs", longer, "long.mp4", Map.of("preset", "h264-720p")).json().path("id")
                .asText();
        // Frozen (SIGSTOP) as soon as it encodes, so that it still runs when the page shows it, until the cancel's
        // SIGTERM waits for it.
        List<ProcessHandle> frozen = await().atMost(JOB_TIME).pollInterval(Duration.ofMillis(20))
                .until(() -> Frozen.encodes(ProcessHandle.current(), id, ""), list -> !list.isEmpty());
        browser.navigate().refresh();
        WebElement row = await().atMost(JOB_TIME).ignoreException(NoSuchElementException.class).until(
                () -> browser.findElement(By.cssSelector("li[data-job-id='" + id + "']")),
                r -> "running".equals(r.getAttribute("data-status")));
        row.findElement(By.xpath(".//button[text()='Cancel']")).click();
        Frozen.resumeOnceTermed(frozen);
        await().atMost(Duration.ofSeconds(60)).until(() -> row.getAttribute("data-status"), "cancelled"::equals);
        assertEquals("cancelled", http.get("/jobs/" + id).json().path("status").asText());
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    /**
     * "Cancel upload" says what came of it: not cancelled while the service answers that the upload is being written
     * (it said "Upload cancelled." at once, whatever the service answered), cancelled once it can be dropped.
     */
    @Test
    void a_cancelled_upload_is_said_cancelled_only_once_the_service_dropped_it() throws Exception {
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setUploadThroughput(200_000);
        slow.setDownloadThroughput(10_000_000);
        browser.setNetworkConditions(slow);
        Path uploads = app.dataDir().resolve(".tus");
        JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
        String lock = null;
        try {
            List<String> before = uploadIds(uploads); // other tests' uploads, left to expire
            browser.findElement(By.id("files")).sendKeys(longer.toString());
            WebElement bar = browser.findElement(By.cssSelector("li[data-upload='long.mp4'] progress"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Double.parseDouble(bar.getDomProperty("value")) > 5);
            String id = uploadIds(uploads).stream().filter(u -> !before.contains(u)).findFirst().orElseThrow();
            lock = "transcoder:upload:" + id + ":lock";
            redis.set(lock, "another-request"); // another request writing it, for as long as the test says
            WebElement item = browser.findElement(By.cssSelector("li[data-upload='long.mp4']"));
            item.findElement(By.xpath(".//button[text()='Cancel upload']")).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> item.findElement(By.tagName("p")).getText(),
                    t -> t.startsWith("The upload was not cancelled yet: Upload " + id + " is being written"));
            assertTrue(Files.exists(uploads.resolve(id)), "not dropped");

            redis.del(lock);
            item.findElement(By.xpath(".//button[text()='Cancel upload']")).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> item.findElement(By.tagName("p")).getText(),
                    "Upload cancelled."::equals);
            assertEquals("cancelled", item.getAttribute("data-state"));
            assertTrue(!Files.exists(uploads.resolve(id)), "its bytes dropped");
            String remembered = "return Object.keys(localStorage).filter((k) => k.startsWith('tus::')).length;";
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.executeScript(remembered), // not to resume
                    n -> n.equals(0L));
        } finally {
            browser.deleteNetworkConditions();
            if (lock != null) {
                redis.del(lock);
            }
        }
    }

    private static List<String> uploadIds(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(JobIds::valid).toList();
        }
    }

    @Test
    void an_upload_interrupted_by_a_reload_resumes_and_stores_the_file_byte_for_byte() throws Exception {
        Path big = longer; // 1.7 MB: a tenth of it takes a second at the throttled speed
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setUploadThroughput(200_000);
        slow.setDownloadThroughput(10_000_000);
        browser.setNetworkConditions(slow);
        try {
            browser.findElement(By.cssSelector("#preset option[value='thumbnail']")).click(); // a cheap job to follow
            browser.findElement(By.id("files")).sendKeys(big.toString());
            WebElement bar = browser.findElement(By.cssSelector("li[data-upload='long.mp4'] progress"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Double.parseDouble(bar.getDomProperty("value")) > 10);
            Browser.screenshot(browser, "page-uploading");

            browser.navigate().refresh(); // the upload stops half-way; its URL stays in the browser
        } finally {
            browser.deleteNetworkConditions();
        }
        awaitPresets();
        // The same file with another preset is an upload of its own, not the end of the one the reload stopped.
        browser.findElement(By.cssSelector("#preset option[value='audio-aac']")).click();
        browser.findElement(By.id("files")).sendKeys(big.toString());
        await().atMost(Duration.ofSeconds(60)).until(
                () -> browser.findElement(By.cssSelector("li[data-upload='long.mp4'] p")).getText(),
                text -> text.startsWith("Uploaded"));
        await().atMost(Duration.ofSeconds(20)).until(() -> longJob("audio-aac"), j -> j != null);
        browser.findElement(By.cssSelector("#preset option[value='thumbnail']")).click();
        browser.findElement(By.id("files")).sendKeys(big.toString());
        await().atMost(Duration.ofSeconds(60)).until(
                () -> browser.findElement(By.cssSelector("li[data-upload='long.mp4'] p")).getText(),
                text -> text.startsWith("Uploaded"));
        String id = await().atMost(Duration.ofSeconds(20)).until(() -> longJob("thumbnail"), j -> j != null);
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(app.dataDir().resolve(id).resolve("input.mp4")),
                "the resumed upload is the file, byte for byte");
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    @Test
    void a_wrong_key_is_said_so_and_a_right_one_is_kept_and_sent_with_a_ladders_requests() throws Exception {
        try (TestApp guarded = TestApp.start(root.resolve("guarded"), Map.of("transcoder.auth", "on",
                "transcoder.event-key-recheck", "1s", "transcoder.event-token-lifetime", "10s"))) {
            KeyStore keys = guarded.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            String key = keys.issue("page", EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE), "default", null,
                    Instant.now()).key();
            browser.get(guarded.http().base() + "/");
            WebElement message = browser.findElement(By.id("key-message"));
            await().atMost(Duration.ofSeconds(20)).until(message::getText, t -> t.startsWith("This service needs"));
            enterKey("vt_" + "A".repeat(22) + "_000000");
            await().atMost(Duration.ofSeconds(20)).until(message::getText, t -> t.startsWith("The key was refused"));
            Browser.screenshot(browser, "page-wrong-key");

            enterKey(key);
            awaitPresets();
            assertTrue(!browser.findElement(By.id("key-section")).isDisplayed(), "the key form is gone");
            browser.navigate().refresh();
            awaitPresets(); // the key was kept: the page works at once
            // A ladder plays through hls.js, which sends the key with its requests to this service.
            String ladder = guarded.http().upload("/jobs", clip, "ladder.mp4", Map.of("preset", "hls-ladder"),
                    "X-API-Key", key).json().path("id").asText();
            WebElement ladderRow = succeeded(ladder);
            WebElement video = preview(ladderRow, "video");
            awaitMetadata(video);
            assertTrue(((String) browser.executeScript("return arguments[0].src;", video)).startsWith("blob:"),
                    "played through hls.js (Media Source), not as a file");

            // Its download link carries a token (a link cannot carry the key), and the browser saves the file itself.
            List<Path> before;
            try (Stream<Path> files = Files.list(downloads)) {
                before = files.toList();
            }
            ladderRow.findElement(By.partialLinkText("Download master.m3u8")).click();
            byte[] master = Files.readAllBytes(guarded.dataDir().resolve(ladder).resolve("master.m3u8"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (Stream<Path> files = Files.list(downloads)) {
                    return files.filter(f -> !before.contains(f) && !f.toString().endsWith(".crdownload"))
                            .anyMatch(f -> Arrays.equals(master, readQuietly(f)));
                }
            });

            // A file's preview plays through a link whose token opens this job's outputs alone, as it arrives (it
            // was fetched whole into the tab's memory first).
            String file = guarded.http().upload("/jobs", clip, "file.mp4", Map.of(), "X-API-Key", key).json()
                    .path("id").asText();
            WebElement fileRow = succeeded(file);
            WebElement played = preview(fileRow, "video");
            awaitMetadata(played);
            String src = (String) browser.executeScript("return arguments[0].currentSrc;", played);
            assertTrue(src.startsWith(guarded.http().base() + "/jobs/" + file + "/outputs/output.mp4?token="), src);
            Http.Answer elsewhere = guarded.http().get("/jobs/" + ladder + "/outputs/master.m3u8"
                    + src.substring(src.indexOf('?')));
            assertEquals(403, elsewhere.status(), "the link's token opens no other job's files: " + elsewhere.body());
            // Once its token's time is up, the link is refused: the preview asks for a new token and goes on.
            await().atMost(Duration.ofSeconds(30)).until(() -> guarded.http().get(src.substring(
                    guarded.http().base().length())).status() == 401);
            // Requests past what the player holds (a seek, a load), which the browser's cache would answer here (a
            // token asked for in the same second as the last is the same).
            browser.executeCdpCommand("Network.enable", Map.of());
            browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            try {
                browser.executeScript("arguments[0].load();", played);
                await().atMost(Duration.ofSeconds(20)).until(() -> !src.equals(browser.executeScript(
                        "return arguments[0].currentSrc;", played)));
                awaitMetadata(played);
                assertEquals(List.of(), fileRow.findElements(By.cssSelector(".preview .error")));
                // A preview the service refuses says why, in the service's words.
                Files.delete(guarded.dataDir().resolve(file).resolve("output.mp4"));
                preview(fileRow, "video");
                String gone = "The preview cannot be shown: The output of job " + file + " is no longer stored.";
                await().atMost(Duration.ofSeconds(20)).until(() -> fileRow.findElements(
                        By.cssSelector(".preview .error")).stream().map(WebElement::getText).toList(),
                        List.of(gone)::equals);
            } finally {
                browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
            }

            browser.findElement(By.id("forget-key")).click(); // and is forgotten when asked
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("key-message")).getText(),
                    t -> t.startsWith("This service needs"));
            assertEquals(null, browser.executeScript("return localStorage.getItem('videoTranscoder.apiKey');"));

            // A key revoked while the page follows its jobs: the stream ends, and the page asks for a key again
            // rather than asking the service for a stream with it for ever.
            KeyStore.Issued second = keys.issue("revoked", EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE), "default",
                    null, Instant.now());
            enterKey(second.key());
            awaitPresets();
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("live")).getText(),
                    t -> t.startsWith("Live:"));
            assertTrue(keys.revoke(second.record().id(), Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("key-message")).getText(),
                    t -> t.startsWith("The key was refused"));
            assertTrue(browser.findElement(By.id("key-section")).isDisplayed());
        }
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private void enterKey(String key) {
        WebElement input = browser.findElement(By.id("key-input"));
        input.clear();
        input.sendKeys(key, Keys.ENTER);
    }

    /** The page is ready once it has listed the presets. */
    private void awaitPresets() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("#preset option"))
                .isEmpty());
    }

    /** The job of the page's list made from long.mp4 with {@code preset}, once its input is stored; null before. */
    private static String longJob(String preset) {
        return browser.findElements(By.cssSelector("#jobs li")).stream().map(r -> r.getAttribute("data-job-id"))
                .filter(j -> Files.exists(app.dataDir().resolve(j).resolve("input.mp4")) && jobOf(j).equals("long.mp4")
                             && presetOf(j).equals(preset)).findFirst().orElse(null);
    }

    private static String presetOf(String id) {
        try {
            return http.get("/jobs/" + id).json().path("preset").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static String jobOf(String id) {
        try {
            return http.get("/jobs/" + id).json().path("filename").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
