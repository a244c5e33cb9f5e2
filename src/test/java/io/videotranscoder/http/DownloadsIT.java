package io.videotranscoder.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Downloads as players, CDNs and download managers use them, over real HTTP from the whole service (embedded Redis,
 * bundled FFmpeg, one-second clips): lengths, HEAD, ranges, validators and conditional requests, file names, and CORS
 * for a player on another site.
 */
class DownloadsIT {

    private static final String PLAYER = "https://player.example";
    private static final List<String> FILE_HEADERS = List.of("Content-Length", "Content-Type", "ETag", "Last-Modified",
            "Accept-Ranges", "Content-Disposition");

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static String video;
    static String ladder;
    static byte[] output;

    @BeforeAll
    static void start() throws Exception {
        Path clips = Files.createDirectories(root.resolve("clips"));
        Path clip = Media.clip(clips, "clip.mp4", 1, "640x360");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.concurrency", "2",
                "transcoder.cors-allowed-origins", PLAYER + ", http://localhost:3000"));
        http = app.http();
        video = submit(clip, "holiday.mov", Map.of());
        ladder = submit(clip, "../Fête d'été 東京.mov", Map.of("preset", "hls-ladder"));
        awaitSucceeded(video);
        awaitSucceeded(ladder);
        output = Files.readAllBytes(app.dataDir().resolve(video).resolve("output.mp4"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String submit(Path file, String name, Map<String, String> fields) throws Exception {
        Http.Answer answer = http.upload("/jobs", file, name, fields);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    static void awaitSucceeded(String id) {
        JsonNode job = await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                j -> !List.of("queued", "running").contains(j.path("status").asText()));
        assertEquals("succeeded", job.path("status").asText(), job.toString());
    }

    static Http.Answer head(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build());
    }

    @Test
    void a_download_has_its_length_type_validators_and_file_name() throws Exception {
        Http.Answer whole = http.get("/jobs/" + video + "/output");

        assertEquals(200, whole.status());
        assertArrayEquals(output, whole.bytes());
        assertEquals(Long.toString(output.length), whole.header("Content-Length"));
        assertNull(whole.header("Transfer-Encoding"), "not chunked");
        assertEquals("video/mp4", whole.header("Content-Type"));
        assertEquals("nosniff", whole.header("X-Content-Type-Options"), "never sniffed for another type");
        assertEquals("bytes", whole.header("Accept-Ranges"));
        assertEquals("private, no-cache", whole.header("Cache-Control"), "a tenant's file, in no shared cache");
        assertTrue(whole.header("ETag").matches("\"[0-9a-f]+-[0-9a-f]+\""), whole.header("ETag"));
        assertTrue(whole.header("Last-Modified").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} [\\d:]{8} GMT"),
                whole.header("Last-Modified"));
        assertEquals("attachment; filename=\"holiday-h264-720p.mp4\"; filename*=UTF-8''holiday-h264-720p.mp4",
                whole.header("Content-Disposition"));
        assertEquals(whole.header("ETag"), http.get("/jobs/" + video + "/outputs/output.mp4").header("ETag"),
                "one file, one tag, by either URL");
    }

    /**
     * Without keys (protected mode here: a loopback client), a token asked for without a key grants no more than no key
     * does, and no less: the page's link to an output, with a token of no job or of another job, is served.
     */
    @Test
    void a_token_issued_without_a_key_takes_nothing_from_a_keyless_download() throws Exception {
        String unbound = http.post("/events/token", "application/json", "").json().path("token").asText();
        String another = http.post("/events/token?job=" + ladder, "application/json", "").json().path("token")
                .asText();
        for (String token : List.of(unbound, another)) {
            Http.Answer saved = http.get("/jobs/" + video + "/outputs/output.mp4?token=" + token);
            assertEquals(200, saved.status(), saved.body());
            assertArrayEquals(output, saved.bytes());
        }
    }

    @Test
    void head_answers_the_headers_of_get_without_the_file() throws Exception {
        for (String path : List.of("/jobs/" + video + "/output", "/jobs/" + video + "/outputs/output.mp4",
                "/jobs/" + ladder + "/outputs/master.m3u8")) {
            Http.Answer get = http.get(path);
            Http.Answer head = head(path);

            assertEquals(200, head.status(), path);
            assertEquals(0, head.bytes().length);
            for (String name : FILE_HEADERS) {
                assertEquals(get.header(name), head.header(name), name + " of " + path);
            }
        }
        Http.Answer put = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + video + "/output"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, put.status());
        assertEquals("GET, HEAD", put.header("Allow"));
        Http.Answer ranged = head("/jobs/" + video + "/output", "Range", "bytes=0-99");
        assertEquals(206, ranged.status());
        assertEquals("100", ranged.header("Content-Length"));
        assertEquals("bytes 0-99/" + output.length, ranged.header("Content-Range"));
    }

    @Test
    void a_range_is_206_with_its_own_length_and_bytes() throws Exception {
        Http.Answer first = http.get("/jobs/" + video + "/output", "Range", "bytes=0-99");
        Http.Answer last = http.get("/jobs/" + video + "/output", "Range", "bytes=-100");

        assertEquals(206, first.status());
        assertEquals("100", first.header("Content-Length"));
        assertEquals("bytes 0-99/" + output.length, first.header("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(output, 0, 100), first.bytes());
        assertEquals(206, last.status());
        assertArrayEquals(Arrays.copyOfRange(output, output.length - 100, output.length), last.bytes());
        assertEquals("bytes " + (output.length - 100) + "-" + (output.length - 1) + "/" + output.length,
                last.header("Content-Range"));
    }

    @Test
    void a_range_outside_the_file_is_416_saying_its_size() throws Exception {
        Http.Answer outside = http.get("/jobs/" + video + "/output", "Range", "bytes=" + output.length + "-");

        assertEquals(416, outside.status());
        assertEquals("bytes */" + output.length, outside.header("Content-Range"));
        assertEquals(Problem.CONTENT_TYPE, outside.header("Content-Type"));
        assertEquals("nosniff", outside.header("X-Content-Type-Options"));
        assertEquals(416, outside.json().path("status").asInt());
        assertEquals(416, head("/jobs/" + video + "/output", "Range", "bytes=999999999-").status());
    }

    @Test
    void a_current_copy_is_answered_304_by_tag_or_date() throws Exception {
        String path = "/jobs/" + video + "/output";
        Http.Answer whole = http.get(path);
        String etag = whole.header("ETag");

        Http.Answer byTag = http.get(path, "If-None-Match", "\"other\", " + etag);
        assertEquals(304, byTag.status());
        assertEquals(0, byTag.bytes().length);
        assertEquals(etag, byTag.header("ETag"));
        assertEquals(304, head(path, "If-None-Match", etag).status());
        assertEquals(304, http.get(path, "If-Modified-Since", whole.header("Last-Modified")).status());

        assertEquals(200, http.get(path, "If-None-Match", "\"other\"").status());
        assertEquals(200, http.get(path, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").status());
        assertEquals(200, http.get(path, "If-None-Match", "\"other\"", "If-Modified-Since",
                whole.header("Last-Modified")).status(), "If-None-Match decides when both are sent");
    }

    @Test
    void if_range_resumes_only_the_same_file() throws Exception {
        String path = "/jobs/" + video + "/output";
        Http.Answer whole = http.get(path);

        Http.Answer resumed = http.get(path, "Range", "bytes=100-", "If-Range", whole.header("ETag"));
        assertEquals(206, resumed.status());
        assertArrayEquals(Arrays.copyOfRange(output, 100, output.length), resumed.bytes());
        assertEquals(206, http.get(path, "Range", "bytes=100-", "If-Range", whole.header("Last-Modified")).status());

        Http.Answer changed = http.get(path, "Range", "bytes=100-", "If-Range", "\"an-older-file\"");
        assertEquals(200, changed.status());
        assertArrayEquals(output, changed.bytes());
    }

    @Test
    void hls_files_stay_inline_with_a_name_from_the_upload() throws Exception {
        Http.Answer main = http.get("/jobs/" + ladder + "/output");
        Http.Answer master = http.get("/jobs/" + ladder + "/outputs/master.m3u8");
        Http.Answer segment = http.get("/jobs/" + ladder + "/outputs/stream_0_000.m4s");

        // The renditions' URIs are relative to the master playlist's own URL, where the main output's sends a player.
        assertEquals(302, main.status(), main.body());
        assertEquals("outputs/master.m3u8", main.header("Location"));
        assertEquals(302, head("/jobs/" + ladder + "/output").status());
        URI slashed = URI.create(http.base() + "/jobs/" + ladder + "/output/");
        assertEquals(URI.create(http.base() + "/jobs/" + ladder + "/outputs/master.m3u8"),
                slashed.resolve(http.get(slashed.getPath()).header("Location")), "a trailing slash: the same place");
        assertEquals(200, master.status());
        assertEquals("application/vnd.apple.mpegurl", master.header("Content-Type"));
        assertEquals(Integer.toString(master.bytes().length), master.header("Content-Length"));
        assertTrue(master.body().startsWith("#EXTM3U"), master.body());
        // The client's "../" is dropped, the accents travel encoded, and a plain-ASCII name stands beside them.
        assertEquals("inline; filename=\"Fete d'ete _-hls-ladder.m3u8\"; filename*=UTF-8''"
                     + "F%C3%AAte%20d%27%C3%A9t%C3%A9%20%E6%9D%B1%E4%BA%AC-hls-ladder.m3u8",
                master.header("Content-Disposition"));
        assertEquals(200, segment.status(), segment.body());
        assertEquals("video/iso.segment", segment.header("Content-Type"));
        assertTrue(segment.header("Content-Disposition").startsWith("inline; filename=\"Fete d'ete _-hls-ladder-"
                                                                    + "stream_0_000.m4s\""));
    }

    @Test
    void a_file_larger_than_any_byte_array_is_streamed_with_its_length() throws Exception {
        // Past 2 GiB no byte[] (nor platform-http's int length) can hold the file: a right Content-Length and every
        // byte arriving prove it went from disk to the socket. The file is sparse, so it costs no disk space.
        long size = (1L << 31) + 7; // 2 GiB and a few bytes: past Integer.MAX_VALUE
        Path big = app.dataDir().resolve(ladder).resolve("stream_1_000.m4s"); // the second rung's, no other test's
        try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
            sparse.setLength(size);
            sparse.seek(size - 3);
            sparse.write(new byte[] {'e', 'n', 'd'});
        }
        String path = "/jobs/" + ladder + "/outputs/stream_1_000.m4s";

        assertEquals(Long.toString(size), head(path).header("Content-Length"));
        Http.Answer tail = http.get(path, "Range", "bytes=" + (size - 3) + "-");
        assertEquals("bytes " + (size - 3) + "-" + (size - 1) + "/" + size, tail.header("Content-Range"));
        assertEquals("end", tail.body());
        // Read over a plain socket: Java's HttpClient spent 3 s more CPU than this on the 2 GiB.
        try (Socket socket = new Socket("127.0.0.1", URI.create(http.base()).getPort())) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            List<String> head = answerHead(in);
            assertEquals("http/1.1 200 ok", head.get(0));
            assertTrue(head.contains("content-length: " + size), head.toString());
            long read = 0;
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
            }
            assertEquals(size, read, "every byte, then the end");
        }
    }

    /** The lines of an HTTP answer's head, lower case, read up to the blank line that ends it. */
    private static List<String> answerHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the answer ended in its head: " + head);
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT).lines().toList();
    }

    @Test
    void curl_sees_the_download_headers() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("curl"), "curl is not installed here: skipped (CI installs it)");
        String out = Media.run("curl", "-sS", "-I", http.base() + "/jobs/" + video + "/output");
        List<String> lines = out.lines().map(l -> l.strip().toLowerCase()).toList();

        assertEquals("http/1.1 200 ok", lines.get(0), out);
        assertTrue(lines.contains("content-length: " + output.length), out);
        assertTrue(lines.contains("accept-ranges: bytes"), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches("etag: \"[0-9a-f]+-[0-9a-f]+\"")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("content-disposition: attachment; filename=\"holiday-")),
                out);
    }

    @Test
    void a_browser_preflight_from_an_allowed_origin_is_answered() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + video + "/output"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", PLAYER).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range, if-none-match, x-api-key").build();
        Http.Answer answer = http.send(preflight);

        assertEquals(204, answer.status(), answer.body());
        assertEquals(PLAYER, answer.header("Access-Control-Allow-Origin"));
        assertEquals("origin", answer.header("Vary").toLowerCase());
        List<String> methods = List.of(answer.header("Access-Control-Allow-Methods").split(","));
        assertTrue(methods.containsAll(List.of("GET", "HEAD", "POST", "DELETE")), methods.toString());
        String allowed = answer.header("Access-Control-Allow-Headers").toLowerCase();
        for (String header : List.of("range", "if-none-match", "x-api-key", "authorization", "content-type")) {
            assertTrue(allowed.contains(header), allowed);
        }
    }

    @Test
    void every_answer_to_an_allowed_origin_carries_cors_headers_errors_included() throws Exception {
        String good = "/jobs/" + video + "/output";
        Map<String, Integer> answers = Map.of(good, 200, "/nothing/here", 404,
                "/jobs/00000000-0000-4000-8000-000000000000/output", 404, "/presets?x", 200,
                "/jobs/" + video + "?wait=soon", 400);
        for (Map.Entry<String, Integer> path : answers.entrySet()) {
            Http.Answer answer = http.get(path.getKey(), "Origin", PLAYER);
            assertEquals(path.getValue(), answer.status(), path.getKey());
            assertEquals(PLAYER, answer.header("Access-Control-Allow-Origin"), path.getKey());
            assertEquals("origin", answer.header("Vary").toLowerCase(), path.getKey() + " " + answer.headers());
        }
        Http.Answer outside = http.get(good, "Origin", PLAYER, "Range", "bytes=99999999-");
        assertEquals(416, outside.status());
        assertEquals(PLAYER, outside.header("Access-Control-Allow-Origin"));
        String exposed = http.get(good, "Origin", PLAYER).header("Access-Control-Expose-Headers").toLowerCase();
        for (String header : List.of("content-range", "content-length", "etag", "accept-ranges", "location")) {
            assertTrue(exposed.contains(header), exposed);
        }
        Http.Answer wrongMethod = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/presets"))
                .DELETE().header("Origin", PLAYER).build());
        assertEquals(405, wrongMethod.status());
        assertEquals(PLAYER, wrongMethod.header("Access-Control-Allow-Origin"));
        Http.Answer tooLarge = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Origin", PLAYER).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build());
        assertEquals(413, tooLarge.status());
        assertEquals(PLAYER, tooLarge.header("Access-Control-Allow-Origin"));
    }

    @Test
    void an_origin_not_listed_gets_no_cors_headers_and_no_preflight() throws Exception {
        Http.Answer answer = http.get("/jobs/" + video + "/output", "Origin", "https://elsewhere.example");
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + video + "/output"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "GET").build();

        assertEquals(200, answer.status(), "served as without the setting: the browser keeps it from the page");
        assertNull(answer.header("Access-Control-Allow-Origin"));
        assertEquals("origin", answer.header("Vary").toLowerCase(), "a cache keeps it apart from a listed origin's");
        Http.Answer refused = http.send(preflight);
        assertEquals(405, refused.status());
        assertNull(refused.header("Access-Control-Allow-Origin"));
    }

    @Test
    void cors_is_off_by_default_and_another_instance_gives_the_same_validators() throws Exception {
        String redisUrl = app.context().hasService(EmbeddedRedis.class).url();
        try (TestApp plain = TestApp.start(app.dataDir(), Map.of("transcoder.role", "api",
                "transcoder.redis-url", redisUrl))) {
            String path = "/jobs/" + video + "/output";
            Http.Answer answer = plain.http().get(path, "Origin", PLAYER);
            HttpRequest preflight = HttpRequest.newBuilder(URI.create(plain.http().base() + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", PLAYER).header("Access-Control-Request-Method", "GET").build();

            assertEquals(200, answer.status());
            assertNull(answer.header("Access-Control-Allow-Origin"));
            assertEquals(405, plain.http().send(preflight).status());
            assertEquals(http.get(path).header("ETag"), answer.header("ETag"), "the tag is the file's, not the JVM's");
            assertEquals(http.get(path).header("Last-Modified"), answer.header("Last-Modified"));
        }
    }
}
