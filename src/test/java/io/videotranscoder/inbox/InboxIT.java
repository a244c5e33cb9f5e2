package io.videotranscoder.inbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watched inbox end to end: real files, real Redis, real FFmpeg, results in the outbox and inbox/.failed. */
class InboxIT {

    @TempDir
    static Path root;
    static Path clips;
    static Path clip;
    static TestApp app;
    static Http http;
    static Path inbox;

    @BeforeAll
    static void start() throws Exception {
        clips = Files.createDirectories(root.resolve("clips"));
        clip = Media.clip(clips, "clip.mp4", 1, "640x360");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.inbox-claim-timeout", "2000ms",
                "transcoder.worker-name", "inbox-a"));
        http = app.http();
        inbox = app.inbox();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Drops a file the way `mv` does: it appears whole, at once. */
    static Path drop(Path file, String relative) throws Exception {
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Path staging = Files.copy(file, clips.resolve("staging-" + System.nanoTime()));
        return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static JsonNode awaitInboxJob(String filename) {
        return awaitInboxJob(http, filename);
    }

    static JsonNode awaitInboxJob(Http http, String filename) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode job : http.get("/jobs?limit=500").json().path("jobs")) {
                if (filename.equals(job.path("filename").asText()) && "inbox".equals(job.path("source").asText())
                    && List.of("succeeded", "failed").contains(job.path("status").asText())) {
                    return job;
                }
            }
            return null;
        }, job -> job != null);
    }

    static List<JsonNode> inboxJobsNamed(String filename) throws Exception {
        return inboxJobsNamed(http, filename);
    }

    static List<JsonNode> inboxJobsNamed(Http http, String filename) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        for (JsonNode job : http.get("/jobs?limit=500").json().path("jobs")) {
            if (filename.equals(job.path("filename").asText())) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    @Test
    void a_dropped_file_becomes_a_job_and_its_output_appears_in_the_outbox() throws Exception {
        drop(clip, "holiday.mp4");
        Path hidden = drop(clip, ".hidden.mp4");
        Path partial = drop(clip, "download.mp4.crdownload");

        JsonNode job = awaitInboxJob("holiday.mp4");
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals("h264-720p", job.path("preset").asText());
        Path published = app.dataDir().resolve("outbox/holiday-h264-720p.mp4");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(published));
        assertEquals("h264,1280,720", Media.videoStream(published));
        assertTrue(Files.notExists(inbox.resolve("holiday.mp4")), "taken out of the inbox");
        assertTrue(Files.exists(hidden) && Files.exists(partial), "hidden and partial files are left alone");
    }

    @Test
    void an_existing_output_is_never_overwritten() throws Exception {
        drop(clip, "twice.mp4");
        awaitInboxJob("twice.mp4");
        Path first = app.dataDir().resolve("outbox/twice-h264-720p.mp4");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(first));
        Files.writeString(first, "the user's own file");

        drop(clip, "twice.mp4");

        Path second = app.dataDir().resolve("outbox/twice-h264-720p-1.mp4");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(second));
        assertEquals("the user's own file", Files.readString(first));
        assertEquals("h264,1280,720", Media.videoStream(second));
    }

    @Test
    void a_file_written_slowly_is_taken_only_once_complete() throws Exception {
        Path longer = Media.clip(clips, "slow-source.mp4", 3, "320x240");
        byte[] bytes = Files.readAllBytes(longer);
        // An instance of its own, whose stable time is four times the pauses between the pieces written; its inbox
        // shared with every user, which the service makes sticky (StickyFolder), as /tmp is.
        Path shared = Files.createDirectories(root.resolve("slow/inbox"));
        Files.setAttribute(shared, "unix:mode", 0777);
        try (TestApp slow = TestApp.start(root.resolve("slow/data"), Map.of("transcoder.inbox-stable", "1000ms",
                "transcoder.worker-name", "inbox-slow"))) {
            assertEquals(shared, slow.inbox());
            assertEquals(01777, (Integer) Files.getAttribute(shared, "unix:mode") & 07777, "made sticky at the start");
            writeSlowly(bytes, slow.inbox().resolve("slow.mp4"));

            JsonNode job = awaitInboxJob(slow.http(), "slow.mp4");
            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertEquals(bytes.length, job.path("input").path("size").asLong());
            assertEquals(3.0, job.path("input").path("duration").asDouble(), 0.1);
            assertEquals(1, inboxJobsNamed(slow.http(), "slow.mp4").size());
        }
    }

    /** Eight pieces, one every quarter second: two seconds in all. */
    private static void writeSlowly(byte[] bytes, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        int piece = bytes.length / 8 + 1;
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch written = new CountDownLatch(1);
        try (OutputStream out = Files.newOutputStream(target)) {
            AtomicInteger offset = new AtomicInteger();
            writer.scheduleAtFixedRate(() -> {
                try {
                    int at = offset.getAndAdd(piece);
                    if (at >= bytes.length) {
                        written.countDown();
                        return;
                    }
                    out.write(bytes, at, Math.min(piece, bytes.length - at));
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            assertTrue(written.await(30, TimeUnit.SECONDS), "all pieces written");
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void a_text_file_named_mp4_ends_in_failed_with_its_reason() throws Exception {
        drop(Media.text(clips, "notes.txt", "not a video\n"), "notes.mp4");

        Path failed = inbox.resolve(".failed/notes.mp4");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(failed.resolveSibling("notes.mp4.error.txt")));
        assertEquals("not a video\n", Files.readString(failed));
        assertTrue(Files.readString(failed.resolveSibling("notes.mp4.error.txt")).contains("text, not a video"));
    }

    @Test
    void a_file_ffmpeg_cannot_read_goes_back_to_failed_with_ffmpegs_reason() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path broken = Files.write(clips.resolve("broken-source.mp4"), java.util.Arrays.copyOf(whole, whole.length / 3));
        drop(broken, "broken.mp4");

        JsonNode job = awaitInboxJob("broken.mp4");
        assertEquals("failed", job.path("status").asText());
        Path note = inbox.resolve(".failed/broken.mp4.error.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(note));
        assertTrue(Files.readString(note).startsWith("The file is not a video FFmpeg can read"), Files.readString(note));
        assertEquals(whole.length / 3, Files.size(inbox.resolve(".failed/broken.mp4")));
    }

    @Test
    void a_preset_folder_names_the_preset_and_an_unknown_one_is_refused() throws Exception {
        drop(clip, "h264-720p/in-folder.mp4");
        drop(clip, "no-such-preset/lost.mp4");

        JsonNode job = awaitInboxJob("in-folder.mp4");
        assertEquals("succeeded", job.path("status").asText());
        assertEquals("h264-720p", job.path("preset").asText());
        Path note = inbox.resolve(".failed/lost.mp4.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(note));
        assertTrue(Files.readString(note).contains("'no-such-preset' names no preset"), Files.readString(note));
    }

    @Test
    void a_claim_left_by_a_process_that_died_is_put_back_and_queued() throws Exception {
        // What a process leaves when it dies between claiming a file and queueing its job.
        Path claim = Files.createDirectories(inbox.resolve(".claimed/inbox-z-" + System.nanoTime()));
        Files.copy(clip, claim.resolve("orphan.mp4"));
        Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minusSeconds(60)));

        JsonNode job = awaitInboxJob("orphan.mp4");
        assertEquals("succeeded", job.path("status").asText());
        assertTrue(Files.notExists(claim));
    }

    @Test
    void two_instances_on_one_inbox_make_one_job_per_file() throws Exception {
        String redisUrl = app.context().hasService(EmbeddedRedis.class).url();
        try (TestApp second = TestApp.start(root.resolve("data"), Map.of("transcoder.redis-url", redisUrl,
                "transcoder.inbox-dir", inbox.toString(), "transcoder.inbox-claim-timeout", "2000ms",
                "transcoder.worker-name", "inbox-b"))) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                names.add("shared-" + i + ".mp4");
                drop(clip, "audio-aac/" + names.get(i)); // the sound only: what is proven is the claim, not the encode
            }
            for (String name : names) {
                assertEquals("succeeded", awaitInboxJob(name).path("status").asText());
            }
            // Time for a duplicate, had there been one, to show up (ten inbox polls).
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
                for (String name : names) {
                    if (inboxJobsNamed(name).size() != 1) {
                        return false;
                    }
                }
                return true;
            });
            try (Stream<Path> left = Files.list(inbox.resolve("audio-aac"))) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("shared-")));
            }
        }
    }

    @Test
    void a_symlinked_folder_in_the_inbox_is_never_followed() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside-folder"));
        Path kept = Files.copy(clip, outside.resolve("private.mp4"));
        Path link = Files.createSymbolicLink(inbox.resolve("linked-folder"), outside);
        Path presetLink = Files.createSymbolicLink(inbox.resolve("h264-480p"), outside);
        drop(clip, "after-folder-link.mp4"); // taken in the same polls as the links

        assertEquals("succeeded", awaitInboxJob("after-folder-link.mp4").path("status").asText());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Files.exists(kept));
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(kept));
        assertTrue(inboxJobsNamed("private.mp4").isEmpty(), "nothing transcoded from the linked folder");
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(presetLink), "the links are left untouched");
        try (Stream<Path> failed = Files.list(Files.createDirectories(inbox.resolve(".failed")))) {
            assertTrue(failed.noneMatch(p -> p.getFileName().toString().startsWith("private")));
        }
    }

    @Test
    void a_symlinked_file_in_the_inbox_goes_to_failed_as_a_link_and_its_target_is_untouched() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside-file"));
        Path target = Files.copy(clip, outside.resolve("target.mp4"));
        Files.createSymbolicLink(inbox.resolve("linked-file.mp4"), target);

        Path note = inbox.resolve(".failed/linked-file.mp4.error.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(note));
        assertTrue(Files.readString(note).contains("symbolic link"), Files.readString(note));
        assertTrue(Files.isSymbolicLink(inbox.resolve(".failed/linked-file.mp4")), "the link itself was moved");
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(target));
        assertTrue(inboxJobsNamed("linked-file.mp4").isEmpty(), "nothing transcoded from the link");
    }

    /**
     * A name holding backslashes, which the file component's paths turn into separators on Linux: named so, a file
     * in the inbox reached past it ({@code x\..\..\outside-name\private.mp4} beside a folder {@code x}), and the
     * file there was moved into the inbox. The dropped file is the one taken; its job is named by the name's last
     * part, as an upload's name from Windows is.
     */
    @Test
    void a_name_with_backslashes_reaches_nothing_outside_the_inbox() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside-name"));
        Path kept = Files.writeString(outside.resolve("private.mp4"), "a file outside the inbox");
        Files.createDirectories(inbox.resolve("x"));
        Path dropped = drop(clip, "x\\..\\..\\outside-name\\private.mp4");

        JsonNode job = awaitInboxJob("private.mp4");
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertTrue(Files.notExists(dropped), "the dropped file was taken");
        assertEquals("a file outside the inbox", Files.readString(kept));
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(inbox.resolve(".done/private.mp4")));
    }

    @Test
    void a_250_byte_name_is_published_under_a_shortened_name() throws Exception {
        String name = "long-" + "n".repeat(241) + ".mp4"; // 250 bytes
        drop(clip, name);

        assertEquals("succeeded", awaitInboxJob(name).path("status").asText());
        Path outbox = app.dataDir().resolve("outbox");
        Path published = await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Stream<Path> files = Files.list(outbox)) {
                return files.filter(p -> p.getFileName().toString().startsWith("long-nnn")).findFirst().orElse(null);
            }
        }, p -> p != null);
        String publishedName = published.getFileName().toString();
        assertTrue(publishedName.endsWith("-h264-720p.mp4"), publishedName);
        assertEquals(255, publishedName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertEquals("h264,1280,720", Media.videoStream(published));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".done").resolve(name)));
    }

    @Test
    void a_refused_file_with_a_250_byte_name_keeps_its_error_note() throws Exception {
        String name = "refused-" + "r".repeat(238) + ".mp4"; // 250 bytes
        drop(Media.text(clips, "long-notes.txt", "not a video\n"), name);

        Path failedDir = inbox.resolve(".failed");
        Path note = await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Stream<Path> files = Files.list(Files.createDirectories(failedDir))) {
                return files.filter(p -> p.getFileName().toString().startsWith("refused-rrr")
                                         && p.getFileName().toString().endsWith(".error.txt")).findFirst().orElse(null);
            }
        }, p -> p != null);
        String noteName = note.getFileName().toString();
        assertTrue(noteName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255, noteName);
        Path refused = note.resolveSibling(noteName.substring(0, noteName.length() - ".error.txt".length()));
        assertEquals("not a video\n", Files.readString(refused));
        assertTrue(refused.getFileName().toString().endsWith(".mp4"));
        assertTrue(Files.readString(note).contains("text, not a video"), Files.readString(note));
    }

    @Test
    void a_name_with_a_line_break_cannot_forge_a_log_line() throws Exception {
        String forged = "12:00:00.000 INFO  [main] InboxResults - Inbox file all-is-well.mp4 transcoded";
        String name = "evil\r\n" + forged + "\u001b[2J.mp4"; // and an escape sequence that would clear a terminal
        try (LogCapture log = new LogCapture()) {
            drop(Media.text(clips, "evil.txt", "not a video\n"), name);

            await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("Inbox file evil"));
            String text = log.text();
            assertFalse(text.lines().anyMatch(line -> line.startsWith(forged)), text);
            assertTrue(text.contains("evil\\r\\n" + forged), text);
            assertFalse(text.contains("\u001b"), text);
        }
    }
}
