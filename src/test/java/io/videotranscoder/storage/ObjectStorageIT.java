package io.videotranscoder.storage;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.PartsGone;
import io.videotranscoder.job.SegmentWorker;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.PacedUpload;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.S3Server;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.Trickle;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service with its jobs' files in a real S3 server (S3Proxy): inputs and outputs are objects, downloads are
 * proxied (ranges, HEAD, ETag) or redirected to presigned URLs, and deleting a job removes its objects. An upload
 * goes into the store as it arrives, part by part, never onto the API's disk; one cut short or refused leaves nothing,
 * and housekeeping gives up the unfinished uploads a killed process left.
 */
class ObjectStorageIT {

    private static final String PREFIX = "videos/";
    private static final int PART = 5 * 1024 * 1024;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(4);
    @TempDir
    static Path root;
    private static S3Server s3;
    private static TestApp app;
    private static Path clip;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(root.resolve("s3"));
        Map<String, String> settings = new HashMap<>(s3.properties(PREFIX));
        settings.put("transcoder.scratch-dir", root.resolve("scratch").toString());
        settings.put("transcoder.redis-url", REDIS.url());
        settings.put("transcoder.s3-part-size", Integer.toString(PART)); // the store's least: several parts per test
        app = TestApp.start(root.resolve("data"), settings);
        clip = Media.clip(root, "clip.mp4", 1, "320x240");
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void a_job_reads_its_input_from_the_store_and_lists_outputs_stored_whole() throws Exception {
        JsonNode done = transcoded();
        String id = done.path("id").asText();
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        JsonNode output = done.path("outputs").get(0);
        assertTrue(s3.keys(PREFIX + id + "/").contains(PREFIX + id + "/input.mp4"), "the input is an object");
        String outputKey = s3.keys(PREFIX + id + "/").stream().filter(k -> k.endsWith("/output.mp4")).findFirst()
                .orElseThrow();
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(S3Server.BUCKET).key(outputKey)).asByteArray();
        assertEquals(output.path("size").asLong(), stored.length, "the job lists the object's size");
        assertFalse(Files.exists(root.resolve("data").resolve(id)), "no copy of the upload stays on the API's disk");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(root.resolve("scratch").resolve(id)));

        Http http = app.http();
        Http.Answer whole = http.get("/jobs/" + id + "/output");
        assertEquals(200, whole.status());
        assertArrayEquals(stored, whole.bytes());
        assertEquals(Long.toString(stored.length), whole.header("Content-Length"));
        assertEquals("private, no-cache", whole.header("Cache-Control"));
        Http.Answer part = http.get("/jobs/" + id + "/output", "Range", "bytes=100-199");
        assertEquals(206, part.status());
        assertEquals("bytes 100-199/" + stored.length, part.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(stored, 100, 200), part.bytes());
        Http.Answer tail = http.get("/jobs/" + id + "/output", "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(stored, stored.length - 10, stored.length), tail.bytes());
        String etag = whole.header("ETag");
        assertEquals(304, http.get("/jobs/" + id + "/output", "If-None-Match", etag).status());
        Http.Answer outside = http.get("/jobs/" + id + "/output", "Range", "bytes=" + stored.length + "-");
        assertEquals(416, outside.status());
        assertEquals("bytes */" + stored.length, outside.header("Content-Range"));
        assertEquals(404, http.get("/jobs/" + JobIds.next() + "/output").status());
        assertEquals(404, http.get("/jobs/" + id + "/outputs/other.mp4").status());
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(http.base() + "/jobs/" + id + "/output")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals(etag, head.headers().firstValue("ETag").orElseThrow());
        assertEquals(Long.toString(stored.length), head.headers().firstValue("Content-Length").orElseThrow());
    }

    /**
     * A client that asks {@code Expect: 100-continue} (curl does for any upload over 1 MiB) is told to go on once the
     * upload is taken: streamed into the store, no body handler said so, and such a client waited in vain (curl a
     * second; one with no timeout of its own, until the body-rate cut-off).
     */
    @Test
    void an_upload_that_expects_to_be_told_to_go_on_is_told() throws Exception {
        byte[] video = Files.readAllBytes(clip);
        try (PacedUpload upload = PacedUpload.continued(port(), "/jobs", "clip.mp4", video.length)) {
            upload.send(video);

            String answer = upload.finish();
            assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
        }
    }

    /**
     * A join whose part is not in the store (removed, or Redis restored to before its job's end, which removed it):
     * the job cannot be joined, said so at once, not taken for the store away and tried until its attempts ran out.
     */
    @Test
    void a_part_the_store_lacks_fails_the_join_saying_the_parts_are_gone() {
        Job job = Job.queued(JobIds.next(), "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, Instant.now());

        Exchange fetched = app.context().createProducerTemplate().send("direct:fetch-parts", exchange -> {
            exchange.setProperty(JobSubmitter.JOB, job);
            exchange.setProperty(SegmentWorker.RUN, "0123456789abcdef");
            exchange.setProperty(SegmentWorker.NAMES, List.of("segment-00000.mp4"));
        });

        PartsGone gone = ObjectHelper.getException(PartsGone.class, fetched.getException());
        assertNotNull(gone, String.valueOf(fetched.getException()));
        assertTrue(gone.getMessage().contains("/jobs/" + job.id() + "/retry"), gone.getMessage());
    }

    @Test
    void every_proxied_download_is_whole_however_soon_the_store_answers() throws Exception {
        String id = transcoded().path("id").asText();
        long size = transcodedSize(id);
        // The store's first bytes once found no pipe yet, about one download in twenty: the body was cut or empty.
        for (int i = 0; i < 60; i++) {
            Http.Answer answer = app.http().get("/jobs/" + id + "/output");
            assertEquals(200, answer.status(), answer.body());
            assertEquals(size, answer.bytes().length, "download " + i);
        }
    }

    @Test
    void downloads_whose_clients_stop_reading_hold_no_thread_from_other_requests() throws Exception {
        String id = transcoded().path("id").asText();
        String key = s3.keys(PREFIX + id + "/").stream().filter(k -> k.endsWith("/output.mp4")).findFirst()
                .orElseThrow();
        // Larger than what the sockets' buffers take, so that each download waits on its client.
        s3.client().putObject(b -> b.bucket(S3Server.BUCKET).key(key), RequestBody.fromBytes(new byte[32 << 20]));
        URI base = URI.create(app.http().base());
        List<Socket> stalled = new ArrayList<>();
        try {
            // Each answer begins at once (a thread held per download had the 21st wait for the relay's idle timeout,
            // a minute), and a route still finds a thread.
            Http.Answer jobs = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 24; i++) { // more than Vert.x's 20 worker threads, on which routes run
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096);
                    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
                    stalled.add(socket);
                    socket.getOutputStream().write(("GET /jobs/" + id + "/output HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] status = socket.getInputStream().readNBytes(12);
                    assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII), "download " + i);
                }
                return app.http().get("/jobs");
            });
            assertEquals(200, jobs.status());
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void a_worker_that_cannot_reach_the_store_tries_again_after_the_backoff_and_says_why() throws Exception {
        Map<String, String> api = apiBeside("outage");
        Map<String, String> worker = new HashMap<>(api);
        worker.put("transcoder.role", "worker");
        worker.put("transcoder.scratch-dir", root.resolve("outage-scratch").toString());
        worker.put("transcoder.retry-backoff", "100ms");
        worker.put("transcoder.max-attempts", "2");
        try (S3Server away = S3Server.start(root.resolve("away")); // the worker's, which checks its bucket at start
             TestApp submitting = TestApp.start(root.resolve("outage-api"), api);
             TestApp working = TestApp.start(root.resolve("outage-worker"), workerOf(worker, away))) {
            away.close(); // then goes away
            String id = submitting.http().upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(
                    () -> submitting.http().get("/jobs/" + id + "?wait=10").json(),
                    j -> j.path("status").asText().equals("failed"));

            // Each attempt was judged at once as the store's failure, not left for its lease as a worker's crash.
            String error = failed.path("error").asText();
            assertTrue(error.startsWith("Gave up after 2 attempts: the last one: Attempt 2: The object store could not"
                                        + " be reached"), error);
        }
    }

    @Test
    void uploads_past_what_the_heap_holds_wait_their_turn_with_a_503() throws Exception {
        Map<String, String> settings = apiBeside("turns");
        settings.put("transcoder.max-streamed-uploads", "1");
        try (TestApp api = TestApp.start(root.resolve("turns"), settings)) {
            int port = URI.create(api.http().base()).getPort();
            try (PacedUpload first = new PacedUpload(port, "/jobs", "first.mp4", Files.size(clip))) {
                first.send(Arrays.copyOfRange(Files.readAllBytes(clip), 0, 1000)); // streaming, and holding on

                Http.Answer second = await().atMost(Duration.ofSeconds(10)).until(
                        () -> api.http().upload("/jobs", clip, "second.mp4", Map.of()), a -> a.status() == 503);
                assertEquals("5", second.header("Retry-After"));
                assertTrue(second.json().path("detail").asText().startsWith("As many uploads as this server holds in "
                                                                            + "memory (1)"), second.body());

                first.send(Arrays.copyOfRange(Files.readAllBytes(clip), 1000, (int) Files.size(clip)));
                assertTrue(first.finish().startsWith("HTTP/1.1 202"));
            }
            assertEquals(202, api.http().upload("/jobs", clip, "third.mp4", Map.of()).status(), "its turn came");
        }
    }

    @Test
    void a_trickling_upload_is_cut_off_and_gives_its_turn_back_but_one_the_store_holds_up_is_not() throws Exception {
        Map<String, String> settings = apiBeside("rates");
        settings.put("transcoder.max-streamed-uploads", "1");
        settings.put("transcoder.min-body-rate", "2000");
        settings.put("transcoder.body-rate-window", "1s");
        try (TestApp api = TestApp.start(root.resolve("rates"), settings)) {
            int port = URI.create(api.http().base()).getPort();
            // The store holds the first part, the second fills: the API stops reading the body, which is not the
            // client's slowness. Three windows pass without a byte read.
            byte[] file = binary(4 * PART);
            s3.holdUploads(key -> key.startsWith("rates/") && key.endsWith("/input.mp4"));
            try (PacedUpload held = new PacedUpload(port, "/jobs", "held.mp4", file.length);
                 Trickle sending = Trickle.start(held::send, file, file.length, Duration.ofHours(1))) {
                assertTrue(s3.awaitHeldUpload(30), "the first part reaches the store");
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
                s3.release();
                await().atMost(Duration.ofSeconds(30)).until(sending::done);
                String answer = held.finish();
                assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
            }
            try (PacedUpload slow = new PacedUpload(port, "/jobs", "slow.mp4", Files.size(clip));
                 Trickle trickle = Trickle.start(slow::send, Files.readAllBytes(clip), 100, Duration.ofMillis(250))) {
                String cut = slow.answer();
                assertTrue(cut.startsWith("HTTP/1.1 408"), cut);
            }
            assertEquals(202, api.http().upload("/jobs", clip, "next.mp4", Map.of()).status(),
                    "the upload cut off gave its turn back");
        }
    }

    /** The store gone while an upload streams into it: a 503 that says so, and when to ask again. */
    @Test
    void an_upload_the_store_cannot_take_is_a_503_to_try_again() throws Exception {
        Path big = Files.write(root.resolve("big.mp4"), binary(2 * PART));
        try (S3Server away = S3Server.start(root.resolve("gone-store")); // the API checks its bucket at start
             TestApp api = TestApp.start(root.resolve("gone"), workerOf(apiBeside("gone"), away))) {
            away.close(); // then goes away

            Http.Answer answer = api.http().upload("/jobs", big, "big.mp4", Map.of());

            assertEquals(503, answer.status(), answer.body());
            assertEquals("5", answer.header("Retry-After"));
            assertTrue(answer.json().path("detail").asText().startsWith("The object store"), answer.body());
        }
    }

    /** An API of its own beside the class's app: its Redis keys and its objects under {@code name}. */
    private static Map<String, String> apiBeside(String name) {
        Map<String, String> api = new HashMap<>(s3.properties(name + "/"));
        api.put("transcoder.redis-url", REDIS.url());
        api.put("transcoder.key-prefix", name + ":");
        api.put("transcoder.role", "api");
        return api;
    }

    private static Map<String, String> workerOf(Map<String, String> settings, S3Server store) {
        settings.put("transcoder.s3-endpoint", store.endpoint().toString());
        return settings;
    }

    private static long transcodedSize(String id) throws Exception {
        return app.http().get("/jobs/" + id).json().path("outputs").get(0).path("size").asLong();
    }

    @Test
    void a_redirect_points_at_a_presigned_url_that_serves_ranges() throws Exception {
        String id = transcoded().path("id").asText();
        Map<String, String> settings = new HashMap<>(s3.properties(PREFIX));
        settings.put("transcoder.role", "api");
        settings.put("transcoder.s3-download", "redirect");
        settings.put("transcoder.redis-url", REDIS.url());
        Http.Answer redirected;
        Http.Answer head;
        Http.Answer current;
        String policy;
        try (TestApp api = TestApp.start(root.resolve("redirecting"), settings)) {
            redirected = api.http().get("/jobs/" + id + "/output");
            head = api.http().send(HttpRequest.newBuilder(URI.create(api.http().base() + "/jobs/" + id + "/output"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            current = api.http().get("/jobs/" + id + "/output", "If-None-Match", String.valueOf(head.header("ETag")));
            policy = Http.unchecked(api.http().base()).get("/").header("Content-Security-Policy");
        }
        assertEquals(302, redirected.status());
        // A presigned URL answers GET alone: a HEAD, and a GET of a copy that is current, are the API's to answer.
        assertEquals(200, head.status(), head.headers().toString());
        assertEquals(Long.toString(transcodedSize(id)), head.header("Content-Length"));
        assertEquals(304, current.status());
        // The page may load what it is redirected to: a preview's video and poster, HLS segments, a keyed download.
        URI location = URI.create(redirected.header("Location"));
        String store = location.getScheme() + "://" + location.getRawAuthority();
        for (String directive : List.of("connect-src", "img-src", "media-src")) {
            assertTrue(Pattern.compile(directive + " 'self'[^;]* " + Pattern.quote(store) + "(;|$)").matcher(policy)
                    .find(), directive + " in " + policy);
        }
        assertFalse(Http.unchecked(app.http().base()).get("/").header("Content-Security-Policy").contains(store),
                "proxied downloads come from the API: the page loads nothing from the store");
        HttpResponse<byte[]> presigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(redirected.header("Location"))).header("Range", "bytes=0-9").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, presigned.statusCode());
        assertEquals(10, presigned.body().length);
        assertTrue(presigned.headers().firstValue("Content-Disposition").orElse("").contains("clip-h264-720p.mp4"),
                presigned.headers().map().toString());
    }

    @Test
    void a_download_while_the_job_store_is_away_is_a_503_to_try_again() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("outage-redis"), TestApp.freePort(), TestApp.CACHE);
        redis.start();
        Map<String, String> settings = new HashMap<>(s3.properties("outage/"));
        settings.put("transcoder.redis-url", redis.url());
        settings.put("transcoder.auth", "off"); // no key to check in Redis: the download's own look-up meets the outage
        try (TestApp outage = TestApp.start(root.resolve("outage"), settings)) {
            String id = outage.http().upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> outage.http().get("/jobs/" + id + "?wait=20").json()
                    .path("status").asText(), "succeeded"::equals);
            redis.stop();
            Http.Answer during = outage.http().get("/jobs/" + id + "/output");
            assertEquals(503, during.status(), during.body());
            assertEquals("5", during.header("Retry-After"));
            assertTrue(during.json().path("detail").asText().startsWith("The job store cannot be reached"),
                    during.body());
        }
    }

    @Test
    void deleting_a_job_removes_its_objects() throws Exception {
        String id = transcoded().path("id").asText();
        assertFalse(s3.keys(PREFIX + id + "/").isEmpty());
        assertEquals(204, app.http().delete("/jobs/" + id).status());
        assertEquals(java.util.List.of(), s3.keys(PREFIX + id + "/"));
        assertEquals(404, app.http().get("/jobs/" + id).status());
    }

    @Test
    void an_inbox_file_is_uploaded_and_its_result_reaches_the_outbox_from_the_store() throws Exception {
        Path inbox = app.inbox();
        Files.createDirectories(inbox);
        Files.copy(clip, inbox.resolve("holiday.mp4"));
        Path result = root.resolve("data/outbox/holiday-h264-720p.mp4");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(result) && Files.exists(inbox.resolve(".done/holiday.mp4")));
        assertTrue(Media.videoStream(result).startsWith("h264,"), result.toString());
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(inbox.resolve(".done/holiday.mp4")));
        // The API held the original in the job's folder until the job ended; nothing of it is left there now.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var folders = Files.list(root.resolve("data"))) {
                return folders.noneMatch(f -> f.getFileName().toString().matches("[0-9a-f-]{36}"));
            }
        });
    }

    @Test
    void an_upload_goes_into_the_store_as_it_arrives_and_never_onto_the_api_disk() throws Exception {
        byte[] file = binary(2 * PART + 12345);
        s3.holdUploads(key -> key.startsWith(PREFIX) && key.endsWith("/input.mp4"));
        String answer;
        try (PacedUpload upload = new PacedUpload(port(), "/jobs", "big.mp4", file.length)) {
            upload.send(Arrays.copyOfRange(file, 0, PART + PART / 5));
            assertTrue(s3.awaitHeldUpload(30), "the first part reaches the store while the client still sends");
            assertEquals(List.of(), filesOnDisk(), "nothing of the upload is on the API's disk");
            assertEquals(1, unfinishedUploads().size(), "the store holds the upload begun");
            s3.release();
            upload.send(Arrays.copyOfRange(file, PART + PART / 5, file.length));
            answer = upload.finish();
        }
        assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(answer);
        assertTrue(id.find(), answer);
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(S3Server.BUCKET)
                .key(PREFIX + id.group(1) + "/input.mp4")).asByteArray();
        assertArrayEquals(file, stored, "the object is the file, byte for byte");
        assertEquals(List.of(), unfinishedUploads());
        assertEquals(List.of(), filesOnDisk());
    }

    @Test
    void an_upload_cut_short_leaves_nothing_in_the_store() throws Exception {
        List<String> before = s3.keys(PREFIX);
        s3.holdUploads(key -> key.startsWith(PREFIX) && key.endsWith("/input.bin"));
        try (PacedUpload upload = new PacedUpload(port(), "/jobs", "cut.bin", 4L * PART)) {
            upload.send(binary(PART + 1000));
            assertTrue(s3.awaitHeldUpload(30));
            assertEquals(1, unfinishedUploads().size(), "the store holds the upload begun");
        } finally {
            s3.release();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> unfinishedUploads().isEmpty());
        assertEquals(before, s3.keys(PREFIX), "no object is left of it");
        assertEquals(List.of(), filesOnDisk());
    }

    @Test
    void an_upload_over_the_limit_is_refused_before_its_bytes_are_read() throws Exception {
        long over = 8L * 1024 * 1024 * 1024 + 1; // transcoder.max-upload-bytes: 8 GiB
        String answer;
        try (PacedUpload upload = new PacedUpload(port(), "/jobs", "huge.mp4", over)) {
            answer = upload.answer();
        }
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("application/problem+json"), answer);
        assertEquals(List.of(), unfinishedUploads());
    }

    @Test
    void a_text_file_streamed_in_is_refused_and_none_of_it_sent_to_the_store() throws Exception {
        byte[] text = "not a video\n".repeat(PART / 6).getBytes(StandardCharsets.US_ASCII);
        int begun = s3.uploadsBegun();
        String answer;
        try (PacedUpload upload = new PacedUpload(port(), "/jobs", "notes.mp4", text.length)) {
            upload.send(text);
            answer = upload.finish();
        }
        assertTrue(answer.startsWith("HTTP/1.1 415"), answer);
        assertTrue(answer.contains("The file is text, not a video."), answer);
        assertEquals(begun, s3.uploadsBegun(), "its first bytes are text: not one part of it was sent");
        await().atMost(Duration.ofSeconds(30)).until(() -> unfinishedUploads().isEmpty());
    }

    @Test
    void two_files_streamed_in_one_upload_are_refused_and_leave_nothing() throws Exception {
        List<String> before = s3.keys(PREFIX);

        Http.Answer answer = new Http("http://127.0.0.1:" + port()).uploadParts("/jobs", clip, "clip.mp4", List.of(), 2);

        assertEquals(400, answer.status(), answer.body());
        assertEquals("Send one video per upload; this one holds 2 files.", answer.json().path("detail").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> unfinishedUploads().isEmpty());
        assertEquals(before, s3.keys(PREFIX), "no object is left of it");
        assertEquals(List.of(), filesOnDisk());
    }

    @Test
    void housekeeping_gives_up_uploads_a_killed_process_left_unfinished() {
        S3Client client = s3.client();
        String key = "stale/" + JobIds.next() + "/input.mp4";
        String left = client.createMultipartUpload(b -> b.bucket(S3Server.BUCKET).key(key)).uploadId();
        client.uploadPart(b -> b.bucket(S3Server.BUCKET).key(key).uploadId(left).partNumber(1),
                RequestBody.fromBytes(binary(1000)));
        String notJobs = client.createMultipartUpload(b -> b.bucket(S3Server.BUCKET).key("stale/backup.tar"))
                .uploadId();
        String elsewhere = client.createMultipartUpload(b -> b.bucket(S3Server.BUCKET).key("other/input.mp4")).uploadId();
        Storage storage = new S3Storage(client, null, StorageUri.parse("s3://" + S3Server.BUCKET + "/stale/"));
        Duration age = Duration.ofHours(24);

        new StaleUploads(storage, age, Clock.systemUTC()).abort();
        assertEquals(Set.of(left, notJobs), Set.copyOf(uploadIds("stale/")), "uploads younger than the age stay");
        new StaleUploads(storage, age, Clock.offset(Clock.systemUTC(), age.plusMinutes(1))).abort();
        assertEquals(List.of(notJobs), uploadIds("stale/"), "an older one is given up; one of no job's key is not");
        assertEquals(List.of(elsewhere), uploadIds("other/"), "the service's prefix only");
        client.abortMultipartUpload(b -> b.bucket(S3Server.BUCKET).key("other/input.mp4").uploadId(elsewhere));
        client.abortMultipartUpload(b -> b.bucket(S3Server.BUCKET).key("stale/backup.tar").uploadId(notJobs));
    }

    private static int port() {
        return URI.create(app.http().base()).getPort();
    }

    private static List<String> unfinishedUploads() {
        return uploadIds(PREFIX);
    }

    private static List<String> uploadIds(String prefix) {
        return s3.client().listMultipartUploads(b -> b.bucket(S3Server.BUCKET).prefix(prefix)).uploads().stream()
                .map(MultipartUpload::uploadId).toList();
    }

    /**
     * The files under the API's data root larger than a few KiB, an upload's copy would be one; but for the outbox, a
     * local folder by design, where the inbox test's output stays.
     */
    private static List<Path> filesOnDisk() throws Exception {
        try (var files = Files.walk(root.resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(f -> !f.startsWith(root.resolve("data/outbox")))
                    .filter(f -> f.toFile().length() > 64 * 1024).toList();
        }
    }

    /** Bytes no check takes for text (they hold NULs), different at every offset. */
    private static byte[] binary(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /**
     * A client's cancel while a ladder's outputs go into the store stops the storing between two outputs: the job ends
     * cancelled, no output goes into the store after the one under way, and none is left there.
     */
    @Test
    void a_cancel_while_the_outputs_are_stored_stops_the_storing() throws Exception {
        Http http = app.http();
        s3.holdUploads(key -> key.startsWith(PREFIX) && !key.endsWith("/input.mp4")); // the job's first output
        String id;
        int sent;
        try {
            id = http.upload("/jobs", clip, "ladder.mp4", Map.of("preset", "hls-ladder")).json().path("id").asText();
            assertTrue(s3.awaitHeldUpload(60), "an output reaches the store");
            sent = s3.objectsPut() + s3.uploadsBegun();
            Http.Answer cancel = http.delete("/jobs/" + id);
            assertEquals(202, cancel.status(), cancel.body());
        } finally {
            s3.release();
        }

        JsonNode done = await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + id + "?wait=10")
                .json(), j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
        assertEquals("cancelled", done.path("status").asText(), done.toString());
        assertEquals(sent, s3.objectsPut() + s3.uploadsBegun(), "no output sent after the cancel");
        await().atMost(Duration.ofSeconds(10)).until(() -> s3.keys(PREFIX + id + "/").isEmpty());
    }

    private static JsonNode transcoded() throws Exception {
        Http http = app.http();
        String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/jobs/" + id + "?wait=10").json(),
                        j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
    }
}
