package io.videotranscoder.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a multipart request leaves in the upload folder when it is refused: nothing. */
class UploadPartsIT {

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static Path uploads;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.housekeeping-period", "1s"));
        http = app.http();
        uploads = app.dataDir().resolve(".uploads");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** A multipart body of {@code count} small file parts, all named "file". */
    static HttpRequest manyParts(int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"part").append(i)
                    .append(".mp4\"\r\nContent-Type: application/octet-stream\r\n\r\n").append("x".repeat(100))
                    .append("\r\n");
        }
        body.append("--XX--\r\n");
        return HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=XX")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void thousands_of_parts_are_a_400_and_leave_no_upload_behind() throws Exception {
        Http.Answer answer = http.send(manyParts(3000));

        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertTrue(answer.json().path("detail").asText().contains("parts"), answer.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> isEmpty(uploads));
        // Nothing written late by a part still being streamed when the answer went out.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> isEmpty(uploads));
    }

    /** Before it, the client got no answer at all, until the connection's idle timeout (two minutes). */
    @Test
    void a_form_field_over_its_size_is_a_400_that_says_so() throws Exception {
        for (String field : new String[] {"callbackUrl", "file"}) { // "file" without a file name is a field
            String body = "--XX\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + "x".repeat(9000)
                          + "\r\n--XX--\r\n";
            Http.Answer answer = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=XX")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(20)).build());

            assertEquals(400, answer.status(), answer.body());
            assertTrue(answer.json().path("detail").asText().contains("form field is larger"), answer.body());
        }
    }

    /** Netty's decoder threw for them inside Vert.x's body handler: a 500, logged as the service's failure. */
    @Test
    void a_multipart_type_without_a_boundary_or_with_an_unknown_charset_is_a_400() throws Exception {
        for (String type : new String[] {"multipart/form-data; boundary", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=XX; charset=nope",
                "multipart/form-data; boundary=XX; charset=\"\""}) {
            Http.Answer answer = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("--XX--\r\n"))
                    .timeout(Duration.ofSeconds(20)).build());

            assertEquals(400, answer.status(), type + ": " + answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
        }
    }

    /**
     * The upload's options are its form's fields: a browser's {@code Priority} header (RFC 9218) is no "priority"
     * field, and neither a query parameter nor a header chooses the preset, the callback (this server takes none: a
     * 400) or the split.
     */
    @Test
    void only_the_forms_fields_are_the_uploads_options_not_its_headers_or_query() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "320x240");

        Http.Answer answer = http.upload("/jobs?preset=nope&callbackUrl=http://127.0.0.1/x", clip, "clip.mp4",
                Map.of("preset", "h264-720p"), "Priority", "u=1, i", "Split", "maybe", "Codec", "vp9");

        assertEquals(202, answer.status(), answer.body());
        JsonNode job = http.get("/jobs/" + answer.json().path("id").asText()).json();
        assertEquals("h264-720p", job.path("preset").asText(), job.toString());
    }

    @Test
    void a_refused_upload_with_a_few_extra_parts_leaves_nothing_behind() throws Exception {
        Path text = Media.text(Files.createDirectories(root.resolve("clips")), "notes.txt", "not a video\n");
        Set<Path> before = files(uploads);

        Http.Answer answer = http.upload("/jobs", text, "notes.mp4", Map.of("preset", "h264-720p"));

        assertEquals(415, answer.status(), answer.body());
        await().atMost(Duration.ofSeconds(10)).until(() -> before.containsAll(files(uploads)));
    }

    @Test
    void an_upload_left_for_over_an_hour_is_removed() throws Exception {
        Path left = Files.writeString(Files.createDirectories(uploads).resolve("left-behind"), "half an upload");
        Files.setLastModifiedTime(left, FileTime.from(Instant.now().minus(Duration.ofMinutes(61))));

        await().atMost(Duration.ofSeconds(15)).until(() -> Files.notExists(left));
    }

    private static boolean isEmpty(Path dir) throws Exception {
        return files(dir).isEmpty();
    }

    private static Set<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toSet());
        }
    }
}
