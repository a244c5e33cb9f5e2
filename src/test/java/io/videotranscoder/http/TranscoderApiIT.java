package io.videotranscoder.http;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.RawHttp;
import io.videotranscoder.support.TestApp;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API end to end: real HTTP, the embedded Redis, the bundled FFmpeg, one-second generated clips. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranscoderApiIT {

    @TempDir
    static Path root;
    static Path clips;
    static Path clip;
    static TestApp app;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        clips = Files.createDirectories(root.resolve("clips"));
        clip = Media.clip(clips, "clip.mp4", 1, "640x360");
        // A body cut short is answered after the deadline: two seconds here rather than the default quarter minute
        // (a whole request is answered within milliseconds).
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.concurrency", "2",
                "transcoder.max-upload-bytes", "3000000", "transcoder.cut-body-deadline", "2000ms"));
        http = app.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    static JsonNode awaitTerminal(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                        job -> List.of("succeeded", "failed", "cancelled").contains(job.path("status").asText()));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String submit(Path file, String name, Map<String, String> fields) throws Exception {
        Http.Answer answer = http.upload("/jobs", file, name, fields);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    @Test
    void transcodes_an_upload_to_h264_1280x720_and_serves_it() throws Exception {
        Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", Map.of());

        assertEquals(202, answer.status(), answer.body());
        JsonNode queued = answer.json();
        String id = queued.path("id").asText();
        assertEquals("/jobs/" + id, answer.header("Location"));
        assertEquals("queued", queued.path("status").asText());
        assertEquals("h264-720p", queued.path("preset").asText());

        JsonNode done = awaitTerminal(id);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(100, done.path("progress").asInt());
        assertEquals(1, done.path("attempts").asInt());
        assertEquals("h264", done.path("input").path("videoCodec").asText());
        assertEquals(640, done.path("input").path("width").asInt());
        assertEquals("/jobs/" + id + "/outputs/output.mp4", done.path("outputs").get(0).path("url").asText());
        assertEquals("video/mp4", done.path("outputs").get(0).path("contentType").asText());

        Path output = http.download("/jobs/" + id + "/output", root.resolve("clips/out-" + id + ".mp4"));
        assertEquals("h264,1280,720", Media.videoStream(output));
        assertEquals(done.path("outputs").get(0).path("size").asLong(), Files.size(output));
    }

    @Test
    void serves_byte_ranges_of_the_output() throws Exception {
        String id = submit(clip, "range.mp4", Map.of());
        assertEquals("succeeded", awaitTerminal(id).path("status").asText());

        Http.Answer part = http.get("/jobs/" + id + "/output", "Range", "bytes=0-99");
        assertEquals(206, part.status());
        assertTrue(part.header("Content-Range").startsWith("bytes 0-99/"), part.header("Content-Range"));
        assertEquals(100, part.bytes().length);

        Http.Answer outside = http.get("/jobs/" + id + "/output", "Range", "bytes=999999999-");
        assertEquals(416, outside.status());
        assertEquals("application/problem+json", outside.header("Content-Type"));

        // A query parameter or a header of a path parameter's name is no second id (platform-http merged them).
        assertEquals(206, http.get("/jobs/" + id + "/output?id=1", "Range", "bytes=0-99").status());
        assertEquals(id, http.get("/jobs/" + id, "id", "1").json().path("id").asText());
    }

    @Test
    void keeps_the_original_apis_calls() throws Exception {
        Http.Answer answer = http.upload("/transcode", clip, "clip.mp4",
                Map.of("codec", "libx264", "bitrate", "800k", "resolution", "640x360"));
        assertEquals(202, answer.status(), answer.body());
        String id = answer.json().path("job_id").asText();
        assertEquals(List.of("job_id", "status"), fieldNames(answer.json()));
        assertEquals("queued", answer.json().path("status").asText());

        JsonNode status = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/status/" + id).json(), s -> s.path("status").asText().equals("succeeded"));
        assertEquals(List.of("job_id", "status", "progress", "output_url"), fieldNames(status));
        assertTrue(status.path("progress").isInt(), "progress is a number, as the original's: " + status);
        assertEquals(100, status.path("progress").intValue());
        assertEquals("/jobs/" + id + "/output", status.path("output_url").asText());
        Path output = http.download(status.path("output_url").asText(), root.resolve("clips/legacy.mp4"));
        assertEquals("h264,640,360", Media.videoStream(output));
    }

    @Test
    void a_file_ffmpeg_cannot_read_ends_failed_with_the_reason() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path truncated = Files.write(clips.resolve("truncated.mp4"), Arrays.copyOf(whole, whole.length / 3));
        String id = submit(truncated, "truncated.mp4", Map.of());

        JsonNode job = awaitTerminal(id);
        assertEquals("failed", job.path("status").asText());
        assertTrue(job.path("error").asText().startsWith("The file is not a video FFmpeg can read"), job.toString());
        assertFalse(job.path("error").asText().contains(root.toString()), "the error names a server path");
        assertEquals(409, http.get("/jobs/" + id + "/output").status());
    }

    /**
     * An MP4 whose cover art comes before its tracks: FFmpeg's first video stream is the cover, which `-map 0:v:0`
     * took, where the probe took the video; the job failed (or its output was the still picture). The video is encoded.
     */
    @Test
    void a_video_whose_cover_art_comes_first_is_transcoded_from_its_video() throws Exception {
        Path tagged = Media.coverFirst(clips, "tagged.mp4");
        assertTrue(Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream_disposition=attached_pic", "-of", "csv=p=0", tagged.toString())
                .strip().equals("1"), "the file's first video stream is its cover");
        String id = submit(tagged, "tagged.mp4", Map.of());

        JsonNode done = awaitTerminal(id);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(320, done.path("input").path("width").asInt());
        Path output = http.download("/jobs/" + id + "/output", root.resolve("clips/out-" + id + ".mp4"));
        assertEquals("h264,960,720", Media.videoStream(output), "the 4:3 video in the 720p box");
        assertEquals("25", Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-count_frames",
                "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
                output.toString()).strip(), "a second of 25 frames, not one picture");
    }

    @Test
    void a_file_without_video_ends_failed_with_the_reason() throws Exception {
        String id = submit(Media.audioOnly(clips, "tone.m4a"), "tone.m4a", Map.of());

        JsonNode job = awaitTerminal(id);
        assertEquals("failed", job.path("status").asText());
        assertTrue(job.path("error").asText().contains("no video stream"), job.toString());
        assertEquals("aac", job.path("input").path("audioCodec").asText());
    }

    static Stream<Arguments> hostileNames() {
        return Stream.of(
                Arguments.of("../../../escape.mp4", "escape.mp4"),
                Arguments.of("/etc/passwd.mp4", "passwd.mp4"),
                Arguments.of("..\\..\\windows.mp4", "windows.mp4"),
                Arguments.of("it's a \\\"quoted\\\" name with spaces.mp4", null),
                Arguments.of("vidéo-日本語-🎬.mp4", "vidéo-日本語-🎬.mp4"),
                Arguments.of("con\u0001trol\u007fchars.mp4", "controlchars.mp4"),
                Arguments.of("x".repeat(300) + ".mp4", "x".repeat(251) + ".mp4"));
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void a_hostile_file_name_is_only_metadata(String sent, String kept) throws Exception {
        // The name is what is checked, not the encode: the sound only, which costs the worker next to nothing.
        String id = submit(clip, sent, Map.of("preset", "audio-aac"));

        JsonNode job = http.get("/jobs/" + id).json();
        if (kept != null) {
            assertEquals(kept, job.path("filename").asText());
        }
        Path dir = app.dataDir().resolve(id);
        assertTrue(Files.isRegularFile(dir.resolve("input.mp4")), "input stored under the server's name");
    }

    /** One refused value per field: which values each field refuses is TranscodeOptionsTest's and PresetCatalogTest's. */
    @ParameterizedTest
    @ValueSource(strings = {"codec=libx264 -f null", "bitrate=1000k -vf x", "resolution=1280x720 -vf x",
            "preset=../etc", "callbackUrl=http://127.0.0.1/x"})
    void a_smuggled_or_impossible_option_is_a_400_naming_the_field(String field) throws Exception {
        String[] pair = field.split("=", 2);
        Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", Map.of(pair[0], pair[1]));

        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals(pair[0], answer.json().path("field").asText());
        assertEquals(400, answer.json().path("status").asInt());
        assertFalse(answer.json().path("detail").asText().isBlank());
    }

    @Test
    void a_field_sent_twice_is_a_400_naming_it_not_the_text_of_a_list() throws Exception {
        Http.Answer answer = http.uploadParts("/jobs", clip, "clip.mp4",
                List.of(Map.entry("preset", "h264-720p"), Map.entry("preset", "vp9-720p")), 1);

        assertProblem(answer, 400);
        assertEquals("preset", answer.json().path("field").asText());
        assertEquals("preset was sent 2 times; send it once.", answer.json().path("detail").asText());
    }

    @Test
    void two_files_in_one_upload_are_a_400_and_no_job() throws Exception {
        int jobs = http.get("/jobs?limit=500").json().path("jobs").size();

        Http.Answer answer = http.uploadParts("/jobs", clip, "clip.mp4", List.of(), 2);

        assertProblem(answer, 400);
        assertEquals("file", answer.json().path("field").asText());
        assertEquals("Send one video per upload; this one holds 2 files.", answer.json().path("detail").asText());
        assertEquals(jobs, http.get("/jobs?limit=500").json().path("jobs").size());
    }

    @Test
    void refuses_bad_uploads_with_the_right_status() throws Exception {
        Path text = Media.text(clips, "notes.mp4", "this is not a video\n".repeat(50));
        Path empty = Files.write(clips.resolve("empty.mp4"), new byte[0]);
        Path big = Files.write(clips.resolve("big.mp4"), new byte[3_500_000]);

        assertProblem(http.upload("/jobs", text, "notes.mp4", Map.of()), 415);
        assertProblem(http.upload("/jobs", empty, "empty.mp4", Map.of()), 422);
        assertProblem(http.upload("/jobs", null, null, Map.of("codec", "libx264")), 400);
        assertProblem(http.upload("/jobs", big, "big.mp4", Map.of()), 413);
        assertProblem(http.post("/jobs", "application/json", "{}"), 415);
    }

    @Test
    void a_body_that_is_not_a_multipart_upload_is_refused_before_it_is_read() throws Exception {
        // Only multipart bodies stream to disk: any other would be held in the heap whole.
        HttpRequest large = HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20])).build();
        HttpRequest unknownLength = HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[1000])))
                .build();

        assertProblem(http.send(large), 413);
        assertProblem(http.send(unknownLength), 411);
        assertProblem(http.post("/jobs", "application/json", "{}"), 415); // small bodies still reach the route
    }

    @Test
    void a_multipart_body_is_an_upload_only_where_the_api_takes_one_and_with_its_length() throws Exception {
        String form = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n"
                      + "x".repeat(1 << 20) + "\r\n--XX--\r\n";
        // Elsewhere platform-http would write its files to disk, up to the upload limit, for a route that takes none.
        HttpRequest elsewhere = HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + UUID.randomUUID()
                                                                  + "/retry"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        // The room of an upload of unknown length could not be held on the disk it would fill.
        HttpRequest unknownLength = HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form.getBytes(
                        StandardCharsets.US_ASCII)))).build();

        // POST /jobs/ is routed as POST /jobs: an upload (it was refused as a body other than one).
        HttpRequest slashed = HttpRequest.newBuilder(URI.create(http.base() + "/jobs/"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();

        assertProblem(http.send(elsewhere), 413);
        Http.Answer read = http.send(slashed);
        assertProblem(read, 415);
        assertTrue(read.json().path("detail").asText().contains("not a video"), read.body());
        Http.Answer refused = http.send(unknownLength);
        assertProblem(refused, 411);
        assertTrue(refused.json().path("detail").asText().contains("Content-Length"), refused.body());
        assertTrue(isEmpty(app.dataDir().resolve(".uploads")));
    }

    @Test
    void a_body_refused_unread_ends_its_connection_so_the_rest_is_never_read() throws Exception {
        URI base = URI.create(http.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                            + "application/octet-stream\r\nContent-Length: 1073741824\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[64 * 1024]); // of the promised gigabyte

            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // to its end

            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
        }
    }

    @Test
    void a_multipart_body_cut_short_is_a_400_not_a_hang() throws Exception {
        String cut = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\nabc";

        assertProblem(http.post("/jobs", "multipart/form-data; boundary=XX", cut), 400);
        await().atMost(Duration.ofSeconds(5)).until(() -> isEmpty(app.dataDir().resolve(".uploads")));
    }

    /**
     * A whole upload whose route starts after the cut body's deadline (it waited for a worker thread, every one busy)
     * was taken for a body cut short: its file deleted, a 400, and the route, once it ran, found no file. Here the
     * route's first step is held past the deadline.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1) // the route stays woven (a step that no longer holds anything)
    void a_whole_upload_whose_route_starts_past_the_deadline_is_not_taken_for_a_cut_body() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AdviceWith.adviceWith(app.context(), "create-job", route -> route.weaveAddFirst().process(exchange -> {
            started.countDown();
            release.await(60, TimeUnit.SECONDS);
        }));
        CompletableFuture<Http.Answer> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return http.upload("/jobs", clip, "clip.mp4", Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(started.await(30, TimeUnit.SECONDS), "the route started");
            // Past the deadline (2 s here) and the disk's look: no answer while the route is held.
            assertThrows(TimeoutException.class, () -> upload.get(3500, TimeUnit.MILLISECONDS));
        } finally {
            release.countDown();
        }

        Http.Answer answer = upload.get(30, TimeUnit.SECONDS);
        assertEquals(202, answer.status(), answer.body());
        assertEquals("succeeded", awaitTerminal(answer.json().path("id").asText()).path("status").asText());
    }

    @Test
    void each_rest_verb_is_the_route_of_its_id_and_declares_its_query_parameters() {
        Map<String, List<String>> queryParameters = new TreeMap<>();
        for (RestDefinition rest : ((ModelCamelContext) app.context()).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                queryParameters.put(verb.getId(), verb.getParams().stream()
                        .filter(param -> param.getType() == RestParamType.query)
                        .map(ParamDefinition::getName).toList());
                assertNotNull(app.context().getRoute(verb.getId()), "a route runs under the id of " + verb.getId());
            }
        }

        assertEquals(List.of("status", "limit"), queryParameters.get("list-jobs"));
        assertEquals(List.of("wait"), queryParameters.get("get-job"));
        assertEquals(27, queryParameters.size(), "every call of the APIs: " + queryParameters.keySet());
    }

    @Test
    void an_unknown_path_is_a_404_problem() throws Exception {
        assertProblem(http.get("/nothing/here"), 404);
        assertProblem(http.get("/jobs/a/b/c"), 404);
    }

    @Test
    void a_malformed_query_string_is_a_400_that_says_so() throws Exception {
        RawHttp.Answer answer = RawHttp.sendHead(URI.create(http.base()).getPort(),
                "GET /jobs?status=%zz HTTP/1.1\r\nHost: 127.0.0.1");

        assertEquals(400, answer.status());
        assertTrue(answer.text().contains("The query string is malformed"), answer.text());
    }

    /**
     * A path Vert.x cannot decode fails before the API's router: it was a bare "Bad Request", logged as an error with
     * its stack trace every time.
     */
    @Test
    void a_malformed_path_is_a_400_problem_that_says_so() throws Exception {
        for (String path : List.of("/jobs/%zz", "/jobs/abc%", "/uploads/%g1")) {
            RawHttp.Answer answer = RawHttp.sendHead(URI.create(http.base()).getPort(),
                    "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1");

            assertEquals(400, answer.status(), path);
            assertTrue(answer.text().contains("application/problem+json"), answer.text());
            assertTrue(answer.text().contains("The path is malformed"), answer.text());
        }
    }

    /** Netty cannot read them: Vert.x answered with an empty body. */
    @Test
    void a_request_line_or_headers_over_their_limits_are_problems_too() throws Exception {
        int port = URI.create(http.base()).getPort();
        RawHttp.Answer line = RawHttp.sendHead(port, "GET /jobs?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1");
        RawHttp.Answer headers = RawHttp.sendHead(port, "GET /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                                                        + "b".repeat(9000));

        assertEquals(414, line.status(), line.text());
        assertTrue(line.text().contains("application/problem+json") && line.text().contains("request line"));
        assertEquals(431, headers.status(), headers.text());
        assertTrue(headers.text().contains("\"status\":431"), headers.text());
    }

    @Test
    void a_known_path_asked_with_another_method_is_a_405_naming_the_methods_it_takes() throws Exception {
        Http.Answer jobs = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        Http.Answer job = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs/some-id"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        Http.Answer presets = http.delete("/presets");

        assertProblem(jobs, 405);
        assertEquals("GET, POST", jobs.header("Allow"));
        assertProblem(job, 405);
        assertEquals("DELETE, GET", job.header("Allow"));
        assertProblem(presets, 405);
        assertEquals("GET", presets.header("Allow"));
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    @Test
    void a_status_read_can_wait_for_the_end_of_the_job() throws Exception {
        String id = submit(clip, "clip.mp4", Map.of());

        Http.Answer waited = http.get("/jobs/" + id + "?wait=25");

        assertEquals(200, waited.status(), waited.body());
        assertEquals("succeeded", waited.json().path("status").asText(), "one read saw the end: " + waited.body());
        assertEquals(1, waited.json().path("outputs").size());
        // An ended job is answered at once, a missing one is a 404, a wait out of range a 400.
        long start = System.nanoTime();
        assertEquals("succeeded", http.get("/jobs/" + id + "?wait=25").json().path("status").asText());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "an ended job is not waited on");
        assertProblem(http.get("/jobs/00000000-0000-4000-8000-000000000000?wait=25"), 404);
        for (String wait : List.of("61", "-1", "1.5", "soon", "", "100000000000", "5&wait=6")) {
            Http.Answer refused = http.get("/jobs/" + id + "?wait=" + wait);
            assertProblem(refused, 400);
            assertEquals("wait", refused.json().path("field").asText(), refused.body());
            assertTrue(refused.json().path("detail").asText().startsWith("wait "), refused.body());
        }
    }

    @Test
    void unknown_or_malformed_job_ids_are_404() throws Exception {
        assertProblem(http.get("/jobs/00000000-0000-4000-8000-000000000000"), 404);
        assertProblem(http.get("/jobs/not-a-job"), 404);
        assertProblem(http.get("/jobs/..%2F..%2Fetc"), 404);
        assertProblem(http.get("/status/nope"), 404);
        assertProblem(http.get("/jobs/00000000-0000-4000-8000-000000000000/output"), 404);
    }

    @Test
    void lists_jobs_newest_first_with_status_and_limit() throws Exception {
        String first = submit(clip, "first.mp4", Map.of());
        String second = submit(clip, "second.mp4", Map.of());
        awaitTerminal(first);
        awaitTerminal(second);

        Http.Answer listed = http.get("/jobs?limit=2");
        // Never stored by a cache in between, which would not tell one caller's key from another's.
        assertEquals("no-store", listed.header("Cache-Control"));
        assertEquals("no-store", http.get("/jobs/" + first).header("Cache-Control"));
        JsonNode jobs = listed.json().path("jobs");
        assertEquals(2, jobs.size());
        assertEquals(second, jobs.get(0).path("id").asText());
        assertEquals(first, jobs.get(1).path("id").asText());

        for (JsonNode job : http.get("/jobs?status=succeeded&limit=500").json().path("jobs")) {
            assertEquals("succeeded", job.path("status").asText());
        }
        assertProblem(http.get("/jobs?status=nonsense"), 400);
        assertProblem(http.get("/jobs?limit=0"), 400);
        assertProblem(http.get("/jobs?limit=abc"), 400);
        Http.Answer twice = http.get("/jobs?limit=1&limit=2");
        assertProblem(twice, 400);
        assertEquals("limit", twice.json().path("field").asText(), twice.body());
        assertEquals("limit was sent 2 times; send it once.", twice.json().path("detail").asText());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void nothing_was_written_outside_the_data_root() throws Exception {
        try (Stream<Path> top = Files.list(root)) {
            assertEquals(List.of("clips", "data", "inbox"), top.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> all = Files.walk(root.resolve("data"))) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String relative = root.resolve("data").relativize(p).toString();
                assertTrue(relative.matches("[0-9a-f-]{36}/(input\\.[a-z0-9]+|output\\.mp4|audio\\.m4a)|\\.redis/.*"),
                        "unexpected file " + relative);
            }
        }
    }

    private static void assertProblem(Http.Answer answer, int status) throws Exception {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals(status, answer.json().path("status").asInt());
        assertNotNull(answer.json().path("detail").asText(null));
    }
}
