package io.videotranscoder.http.tus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.Trickle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resumable uploads (tus 1.0.0) against the whole service over real HTTP: a real tus client sends a clip in several
 * PATCHes, the connection breaks mid-request, the client resumes, and the upload becomes a job that real FFmpeg runs;
 * then each rule of the protocol, expiry and termination.
 */
class TusUploadsIT {

    private static final long MAX_BYTES = 4 * 1024 * 1024;

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static Path clip;

    @BeforeAll
    static void start() throws Exception {
        clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 2, "640x360");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.max-upload-bytes", Long.toString(MAX_BYTES),
                "transcoder.upload-expiry", "3s", "transcoder.housekeeping-period", "1s"));
        http = app.http();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void an_upload_sent_in_several_patches_broken_off_and_resumed_becomes_a_job_with_the_same_bytes() throws Exception {
        byte[] bytes = Files.readAllBytes(clip);
        TusURLMemoryStore urls = new TusURLMemoryStore();
        TusUpload upload = new TusUpload(clip.toFile());
        upload.setMetadata(Map.of("filename", "holiday.mp4", "preset", "h264-480p"));

        TusUploader first = client(urls).resumeOrCreateUpload(upload);
        first.setChunkSize(4096);
        first.setRequestPayloadSize(8192);
        for (int chunk = 0; chunk < 3; chunk++) { // a PATCH of 8 KiB, then one of 4 KiB
            assertEquals(4096, first.uploadChunk());
        }
        first.finish(false);
        URL url = first.getUploadURL();
        long sent = offset(url);
        assertEquals(12288, sent, "every byte of the finished PATCHes is kept");

        // A PATCH whose connection breaks half-way: what arrived is kept, the rest is asked for again.
        int half = (bytes.length - (int) sent) / 2;
        breakOffPatch(url, sent, Arrays.copyOfRange(bytes, (int) sent, (int) sent + half), bytes.length - sent);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions() // 423 while the broken PATCH holds the lock
                .until(() -> offset(url) == sent + half);

        TusUpload again = new TusUpload(clip.toFile()); // as a client started anew finds it: by its fingerprint
        again.setMetadata(upload.getMetadata());
        TusUploader resumed = client(urls).resumeOrCreateUpload(again);
        assertEquals(sent + half, resumed.getOffset(), "the client resumes where the server stands");
        resumed.setRequestPayloadSize(16384);
        while (resumed.uploadChunk() > -1) {
            // each call sends a chunk; -1 once the file is sent
        }
        resumed.finish();

        Http.Answer head = head(url);
        assertEquals(Long.toString(bytes.length), head.header("Upload-Offset"));
        String job = head.header("Job-Id");
        assertNotNull(job, "the complete upload names its job");
        assertEquals("../jobs/" + job, head.header("Job-Location"), "relative, kept behind a path prefix");
        assertEquals("../../jobs/" + job, head(new URL(url + "/")).header("Job-Location"), "from .../<id>/");
        // Bytes past the end of a complete upload are refused at once, with its connection closed, the body unread: it
        // was answered as a client asking again, and the client, still sending, waited for the head deadline. A body
        // of unknown length may be empty (a client asking again by a chunked PATCH): answered so, the connection
        // closed all the same.
        Http.Answer past = patchAtEnd(url, HttpRequest.BodyPublishers.ofByteArray(new byte[100_000]), bytes.length);
        assertEquals(413, past.status(), past.body());
        assertEquals("close", past.header("Connection"));
        Http.Answer chunked = patchAtEnd(url, HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[10])), bytes.length);
        assertEquals(204, chunked.status(), chunked.body());
        assertEquals(job, chunked.header("Job-Id"));
        assertEquals("close", chunked.header("Connection"));
        JsonNode done = await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/jobs/" + job + "?wait=20").json(),
                j -> !List.of("queued", "running").contains(j.path("status").asText()));
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals("holiday.mp4", done.path("filename").asText());
        assertEquals("h264-480p", done.path("preset").asText());
        assertArrayEquals(bytes, Files.readAllBytes(app.dataDir().resolve(job).resolve("input.mp4")),
                "the job's input is the file, byte for byte");
        assertFalse(Files.exists(app.dataDir().resolve(".tus").resolve(id(url))), "the bytes moved into the job");
        assertEquals("h264,640,360", Media.videoStream(app.dataDir().resolve(job).resolve("output.mp4")));
        // Dropped once it is a job, the upload's answer names the job, which goes on: a client that asked to cancel
        // the upload learns that there is a job to cancel.
        Http.Answer dropped = http.send(tus(HttpRequest.newBuilder(url.toURI()).DELETE()).build());
        assertEquals(204, dropped.status(), dropped.body());
        assertEquals(job, dropped.header("Job-Id"));
        assertEquals(404, head(url).status());
    }

    @Test
    void a_complete_upload_left_without_its_job_becomes_one_when_the_client_asks_where_it_stands() throws Exception {
        byte[] bytes = Files.readAllBytes(clip);
        String url = create(bytes.length, "filename " + b64("left.mp4") + ",preset " + b64("h264-480p"));
        String id = id(new URL(url));
        // What a process killed between the last byte and the job leaves: every byte kept, the offset at the length.
        Files.write(app.dataDir().resolve(".tus").resolve(id), bytes);
        counted(id, bytes.length);
        TusStore store = app.context().getRegistry().findSingleByType(TusStore.class);

        // While another request holds the upload (it is making the job), a HEAD says when to ask again.
        assertTrue(store.lock(id, "another-request", 30_000));
        Http.Answer busy = head(new URL(url));
        assertEquals(423, busy.status(), "a status tus clients retry, where others make them upload it all again");
        assertEquals("5", busy.header("Retry-After"));
        store.unlock(id, "another-request");

        Http.Answer head = head(new URL(url));
        assertEquals(200, head.status(), head.body());
        assertEquals(Long.toString(bytes.length), head.header("Upload-Offset"));
        String job = head.header("Job-Id");
        assertNotNull(job, "the upload a client counts as done has its job");
        assertEquals(job, head(new URL(url)).header("Job-Id"), "asked again, the same job");
        assertEquals(id, job, "the job has the upload's id");
        assertEquals("left.mp4", http.get("/jobs/" + job).json().path("filename").asText());
        assertArrayEquals(bytes, Files.readAllBytes(app.dataDir().resolve(job).resolve("input.mp4")));

        // What a process killed between the job and the mark on the upload leaves: a job, an upload naming none.
        JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
        assertEquals(1, redis.hdel("transcoder:upload:" + id, "job"));
        Http.Answer unmarked = head(new URL(url));
        assertEquals(200, unmarked.status(), unmarked.body());
        assertEquals(job, unmarked.header("Job-Id"), "the job made before, found again");
        assertEquals(job, head(new URL(url)).header("Job-Id"), "and marked on the upload");
        // Dropped in that state, the upload's answer names the job all the same: a client cancelling it learns of it.
        assertEquals(1, redis.hdel("transcoder:upload:" + id, "job"));
        Http.Answer dropped = http.send(tus(HttpRequest.newBuilder(URI.create(url)).DELETE()).build());
        assertEquals(204, dropped.status(), dropped.body());
        assertEquals(job, dropped.header("Job-Id"));
    }

    /**
     * A complete upload that is no job yet, whose file holds fewer bytes than were counted (the machine stopped before
     * the last reached its disk): a HEAD answers the bytes kept, so that the client sends the rest, and the job gets
     * the whole file, never the cut one.
     */
    @Test
    void a_complete_upload_whose_file_a_crash_cut_short_resumes_from_the_bytes_kept() throws Exception {
        byte[] bytes = Files.readAllBytes(clip);
        String url = create(bytes.length, "filename " + b64("cut.mp4") + ",preset " + b64("h264-480p"));
        String id = id(new URL(url));
        Files.write(app.dataDir().resolve(".tus").resolve(id), Arrays.copyOf(bytes, 1000));
        counted(id, bytes.length);

        Http.Answer head = head(new URL(url));
        assertEquals(200, head.status(), head.body());
        assertEquals("1000", head.header("Upload-Offset"), "the bytes its file holds");
        assertEquals(null, head.header("Job-Id"));
        Http.Answer rest = patch(url, 1000, Arrays.copyOfRange(bytes, 1000, bytes.length),
                "application/offset+octet-stream");
        assertEquals(204, rest.status(), rest.body());
        String job = rest.header("Job-Id");
        assertNotNull(job, "the rest made it a job");
        assertArrayEquals(bytes, Files.readAllBytes(app.dataDir().resolve(job).resolve("input.mp4")));
    }

    /**
     * A complete upload that is no job yet, whose file is not in its folder: while a submission holds it in the job's
     * folder (one cut short, which housekeeping gives back), a 423 to ask again; once its bytes are gone with the
     * instance that kept them, a 410 and the upload removed, so that the client starts over. Never a 500.
     */
    @Test
    void a_complete_upload_whose_file_is_elsewhere_waits_for_it_or_is_gone() throws Exception {
        byte[] bytes = Files.readAllBytes(clip);
        String url = create(bytes.length, "filename " + b64("moved.mp4") + ",preset " + b64("h264-480p"));
        String id = id(new URL(url));
        counted(id, bytes.length);
        // As a submission cut short after it moved the file into the job's folder leaves it: noted where it came from.
        Path folder = Files.createDirectories(app.dataDir().resolve(id));
        Files.delete(app.dataDir().resolve(".tus").resolve(id));
        Files.write(folder.resolve("input.mp4"), bytes);
        Files.writeString(folder.resolve(".received"), "input.mp4\n" + app.dataDir().resolve(".tus").resolve(id));

        Http.Answer held = head(new URL(url));
        assertEquals(423, held.status(), held.body());
        assertEquals("5", held.header("Retry-After"));
        Http.Answer patched = patch(url, bytes.length, new byte[0], "application/offset+octet-stream");
        assertEquals(423, patched.status(), patched.body());
        assertTrue(patched.body().contains("is being made a job"), patched.body());
        assertArrayEquals(bytes, Files.readAllBytes(folder.resolve("input.mp4")), "the file left where it is");

        Files.delete(folder.resolve(".received"));
        Files.delete(folder.resolve("input.mp4"));
        Files.delete(folder);
        JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
        redis.hset("transcoder:upload:" + id, "holder", "a-pod-long-gone");
        Http.Answer gone = head(new URL(url));
        assertEquals(410, gone.status(), gone.body());
        assertEquals(404, head(new URL(url)).status(), "removed: the client uploads anew");
    }

    /** Counts {@code length} bytes of upload {@code id} as sent, as its last PATCH would, whatever its file holds. */
    private static void counted(String id, long length) {
        TusStore store = app.context().getRegistry().findSingleByType(TusStore.class);
        assertTrue(store.lock(id, "a-request", 30_000));
        assertTrue(store.advance(id, "a-request", 0, length, Instant.now().plusSeconds(60)));
        store.unlock(id, "a-request");
    }

    @Test
    void options_say_the_version_extensions_and_the_upload_limit() throws Exception {
        Http.Answer options = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/uploads/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, options.status());
        assertEquals("1.0.0", options.header("Tus-Version"));
        assertEquals("creation,termination,expiration", options.header("Tus-Extension"));
        assertEquals(Long.toString(MAX_BYTES), options.header("Tus-Max-Size"));
    }

    @Test
    void a_patch_at_another_offset_is_a_conflict_and_changes_nothing() throws Exception {
        String url = create(1000, "");
        assertEquals(204, patch(url, 0, new byte[100], "application/offset+octet-stream").status());
        Http.Answer conflict = patch(url, 50, new byte[100], "application/offset+octet-stream");
        assertEquals(409, conflict.status());
        assertEquals("application/problem+json", conflict.header("Content-Type"));
        assertTrue(conflict.body().contains("has 100 bytes"), conflict.body());
        assertEquals("100", head(new URL(url)).header("Upload-Offset"));
    }

    @Test
    void protocol_rules_are_answered_with_their_status() throws Exception {
        String url = create(1000, "");
        assertEquals(415, patch(url, 0, new byte[10], "application/octet-stream").status(), "wrong content type");
        assertEquals(415, patch(url, 0, new byte[100_000], "application/octet-stream").status(),
                "a large body of the wrong type: refused unread by the upload, not as a plain body too large");
        // No upload's path: a plain body, too large (refused before any route is looked for: not a 405 then).
        assertEquals(413, Http.unchecked(http.base()).send(tus(HttpRequest.newBuilder(URI.create(http.base()
                + "/uploads/"))).header("Content-Type", "application/octet-stream").header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[100_000])).build()).status());
        assertEquals(413, patch(url, 0, new byte[1001], "application/offset+octet-stream").status(),
                "more than the upload lacks");
        assertEquals(404, patch(url.replaceAll("[0-9a-f]{12}$", "000000000000"), 0, new byte[10],
                "application/offset+octet-stream").status(), "unknown upload");
        assertEquals(404, head(new URL(http.base() + "/uploads/not-an-id")).status());
        Http.Answer noVersion = http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(412, noVersion.status());
        assertEquals("1.0.0", noVersion.header("Tus-Version"));
        assertEquals(413, creation(Long.toString(MAX_BYTES + 1), "").status(), "over Tus-Max-Size");
        assertEquals(400, creation("-5", "").status(), "not a length");
        assertEquals("0", head(new URL(url)).header("Upload-Offset"), "no refused request wrote a byte");
    }

    @Test
    void bad_options_are_refused_at_creation_as_post_jobs_refuses_them() throws Exception {
        Http.Answer preset = creation("1000", "preset " + b64("no-such-preset"));
        assertEquals(400, preset.status());
        assertTrue(preset.json().path("detail").asText().contains("no-such-preset"), preset.body());
        Http.Answer codec = creation("1000", "codec " + b64("libx264 -f null"));
        assertEquals(400, codec.status());
        assertEquals("codec", codec.json().path("field").asText());
        assertEquals(400, creation("1000", "filename not-base64!").status());
    }

    @Test
    void a_complete_upload_that_is_not_a_video_is_refused_and_removed() throws Exception {
        byte[] text = "just some words, not a video\n".getBytes(StandardCharsets.UTF_8);
        String url = create(text.length, "filename " + b64("notes.mp4"));
        Http.Answer refused = patch(url, 0, text, "application/offset+octet-stream");
        assertEquals(415, refused.status(), refused.body());
        assertEquals("The file is text, not a video.", refused.json().path("detail").asText());
        assertEquals(404, head(new URL(url)).status());
        assertFalse(Files.exists(app.dataDir().resolve(".tus").resolve(id(new URL(url)))));
    }

    /**
     * Another API instance has the upload's record (Redis) but not its file (the first instance's disk): refused while
     * the instance that has it lives; once it is gone (a pod a rollout replaced), the upload is gone too, and a tus
     * client starts over instead of asking and being refused until the upload expires.
     */
    @Test
    void a_patch_reaching_an_instance_without_the_upload_bytes_is_refused_rather_than_filled_with_zeros()
            throws Exception {
        String url = create(1000, "");
        assertEquals(204, patch(url, 0, new byte[]{1, 2, 3}, "application/offset+octet-stream").status());
        String id = id(new URL(url));
        Path file = app.dataDir().resolve(".tus").resolve(id);
        Files.delete(file);
        JedisPooled redis = app.context().getRegistry().lookupByNameAndType("redis", JedisPooled.class);
        assertEquals("test-worker", redis.hget("transcoder:upload:" + id, "holder"), "its instance, by its name");
        String instances = "transcoder:job-events:members:webhooks";
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.hexists(instances, "test-worker"));
        assertEquals(409, patch(url, 3, new byte[100], "application/offset+octet-stream").status(),
                "bytes lost from the disk of an instance that lives (or of another process of its name)");
        redis.hset("transcoder:upload:" + id, "holder", "other-api");
        redis.hset(instances, "other-api", (String) redis.eval("local t = redis.call('TIME') return t[1] .. '000'"));

        Http.Answer refused = patch(url, 3, new byte[100], "application/offset+octet-stream");

        assertEquals(409, refused.status());
        assertTrue(refused.body().contains("kept by another instance of the API"), refused.body());
        assertFalse(Files.exists(file), "no file of zeros and the new bytes");
        assertEquals("3", head(new URL(url)).header("Upload-Offset"));
        redis.hdel(instances, "other-api");
        Http.Answer gone = patch(url, 3, new byte[100], "application/offset+octet-stream");
        assertEquals(410, gone.status(), gone.body());
        assertEquals(404, head(new URL(url)).status(), "removed: a tus client uploads the file anew");
        assertFalse(Files.exists(file));
    }

    @Test
    void termination_removes_the_upload_and_its_bytes() throws Exception {
        String url = create(1000, "");
        patch(url, 0, new byte[300], "application/offset+octet-stream");
        Path file = app.dataDir().resolve(".tus").resolve(id(new URL(url)));
        assertEquals(300, Files.size(file));
        Http.Answer deleted = http.send(tus(HttpRequest.newBuilder(URI.create(url)).DELETE()).build());
        assertEquals(204, deleted.status());
        assertEquals(404, head(new URL(url)).status());
        assertFalse(Files.exists(file));
    }

    /** The request that holds the upload may be making it a job: a 204 would say it was dropped, and the job made. */
    @Test
    void termination_waits_for_the_request_that_holds_the_upload() throws Exception {
        String url = create(1000, "");
        patch(url, 0, new byte[300], "application/offset+octet-stream");
        String id = id(new URL(url));
        TusStore store = app.context().getRegistry().findSingleByType(TusStore.class);
        assertTrue(store.lock(id, "another-request", 30_000));
        Http.Answer locked = http.send(tus(HttpRequest.newBuilder(URI.create(url)).DELETE()).build());
        assertEquals(423, locked.status(), locked.body());
        assertEquals("application/problem+json", locked.header("Content-Type"));
        assertEquals("300", head(new URL(url)).header("Upload-Offset"), "the upload is kept");
        assertTrue(Files.exists(app.dataDir().resolve(".tus").resolve(id)));
        store.unlock(id, "another-request");
        assertEquals(204, http.send(tus(HttpRequest.newBuilder(URI.create(url)).DELETE()).build()).status());
        assertEquals(404, head(new URL(url)).status());
    }

    @Test
    void an_unfinished_upload_expires_and_housekeeping_removes_its_bytes() throws Exception {
        String url = create(1000, "");
        Http.Answer patched = patch(url, 0, new byte[200], "application/offset+octet-stream");
        assertNotNull(patched.header("Upload-Expires"));
        Path file = app.dataDir().resolve(".tus").resolve(id(new URL(url)));
        assertTrue(Files.exists(file));
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(file));
        assertEquals(404, head(new URL(url)).status());
    }

    @Test
    void a_patch_trickling_its_bytes_is_cut_off_and_the_upload_keeps_what_came() throws Exception {
        byte[] bytes = Files.readAllBytes(clip);
        // An app of its own: the class's lets an upload expire in 3 s, and its clients may pause under load.
        try (TestApp own = TestApp.start(root.resolve("rates"), Map.of("transcoder.role", "api",
                "transcoder.min-body-rate", "2000", "transcoder.body-rate-window", "1s"))) {
            Http.Answer created = own.http().send(tus(HttpRequest.newBuilder(URI.create(own.http().base() + "/uploads")))
                    .header("Upload-Length", Integer.toString(bytes.length))
                    .header("Upload-Metadata", "filename " + b64("slow.mp4")).POST(HttpRequest.BodyPublishers.noBody())
                    .build());
            assertEquals(201, created.status(), created.body());
            trickleCutAndResume(URI.create(own.http().base() + "/uploads").resolve(created.header("Location")).toURL(),
                    bytes);
        }
    }

    /**
     * A PATCH whose connection went quiet without closing (a laptop asleep, a phone moved to another network) is cut
     * off once it brings no byte for the stall time, its bytes kept and the upload's lock given back: its client, on a
     * new connection, resumes rather than meeting a locked upload (423) for a minute or two, past its retries.
     */
    @Test
    void a_patch_that_goes_quiet_is_cut_off_and_its_upload_resumes() throws Exception {
        try (TestApp own = TestApp.start(root.resolve("stall"), Map.of("transcoder.role", "api",
                "transcoder.body-stall", "1s"))) {
            Http api = own.http();
            Http.Answer created = api.send(tus(HttpRequest.newBuilder(URI.create(api.base() + "/uploads")))
                    .header("Upload-Length", "100").header("Upload-Metadata", "filename " + b64("quiet.mp4"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(201, created.status(), created.body());
            URL url = URI.create(api.base() + "/uploads").resolve(created.header("Location")).toURL();
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(20_000); // the body's rate alone (1024 B/s over 60 s) waits a minute or two
                OutputStream out = socket.getOutputStream();
                out.write(("PATCH " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost()
                           + "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
                           + "Upload-Offset: 0\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[40]);
                out.flush();
                assertEquals("", closedUnanswered(socket), "a broken connection, which tus clients resume from");
            }
            HttpRequest head = tus(HttpRequest.newBuilder(url.toURI()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> api.send(head).header("Upload-Offset"), "40"::equals); // the bytes that came
            Http.Answer resumed = api.send(tus(HttpRequest.newBuilder(url.toURI()))
                    .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "40")
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build());
            assertEquals(204, resumed.status(), "the lock was given back: " + resumed.body());
            assertEquals("50", resumed.header("Upload-Offset"));
        }
    }

    /** What the server sent before it closed the connection (reset or not): nothing, where it did not answer. */
    private static String closedUnanswered(Socket socket) {
        try {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a read timed out: the connection was not closed
        }
    }

    private static void trickleCutAndResume(URL url, byte[] bytes) throws Exception {
        long sent;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nTus-Resumable: 1.0.0\r\n"
                       + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                       + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try (Trickle trickle = Trickle.start(out::write, bytes, 100, Duration.ofMillis(250))) {
                // A body under the server's rate is cut off: the connection closed without an answer, which tus
                // clients take as a broken connection (tus-js-client gives up on a 408).
                assertEquals("", closedUnanswered(socket));
                trickle.close();
                sent = trickle.sent();
            }
        }
        // What the server read before the cut is kept once the connection has closed; the client resumes from there,
        // as after any broken connection.
        long kept = await().atMost(Duration.ofSeconds(10)).ignoreExceptions() // 423 while the PATCH holds the lock
                .until(() -> offset(url), offset -> offset > 0);
        assertTrue(kept <= sent && sent < bytes.length, kept + " bytes kept of " + sent + " sent");
        Http.Answer rest = patch(url.toString(), kept, Arrays.copyOfRange(bytes, (int) kept, bytes.length),
                "application/offset+octet-stream");
        assertEquals(204, rest.status(), rest.body());
        assertEquals(Long.toString(bytes.length), rest.header("Upload-Offset"));
        assertNotNull(head(url).header("Job-Id"), "the complete upload became a job");
    }

    private static TusClient client(TusURLMemoryStore urls) throws Exception {
        TusClient client = new TusClient();
        client.setUploadCreationURL(new URL(http.base() + "/uploads/"));
        client.enableResuming(urls);
        return client;
    }

    private static String id(URL url) {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static long offset(URL url) throws Exception {
        return Long.parseLong(head(url).header("Upload-Offset"));
    }

    private static Http.Answer head(URL url) throws Exception {
        return http.send(tus(HttpRequest.newBuilder(url.toURI()).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .build());
    }

    /** Sends a PATCH's headers for {@code declared} bytes, then {@code part} only, and drops the connection. */
    private static void breakOffPatch(URL url, long offset, byte[] part, long declared) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nTus-Resumable: 1.0.0\r\n"
                       + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: " + offset + "\r\n"
                       + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.flush();
        }
    }

    private static HttpRequest.Builder tus(HttpRequest.Builder request) {
        return request.header("Tus-Resumable", "1.0.0").timeout(Duration.ofSeconds(30));
    }

    private static Http.Answer creation(String length, String metadata) throws Exception {
        HttpRequest.Builder request = tus(HttpRequest.newBuilder(URI.create(http.base() + "/uploads")))
                .header("Upload-Length", length).POST(HttpRequest.BodyPublishers.noBody());
        if (!metadata.isEmpty()) {
            request.header("Upload-Metadata", metadata);
        }
        return http.send(request.build());
    }

    /** Creates an upload and answers its absolute URL (the Location is relative to /uploads). */
    private static String create(long length, String metadata) throws Exception {
        Http.Answer created = creation(Long.toString(length), metadata);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.header("Location").matches("uploads/[0-9a-f-]{36}"), created.header("Location"));
        return URI.create(http.base() + "/uploads").resolve(created.header("Location")).toString();
    }

    private static Http.Answer patchAtEnd(URL url, HttpRequest.BodyPublisher body, long length) throws Exception {
        return http.send(tus(HttpRequest.newBuilder(URI.create(url.toString())))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(length)).method("PATCH", body).build());
    }

    private static Http.Answer patch(String url, long offset, byte[] body, String type) throws Exception {
        return http.send(tus(HttpRequest.newBuilder(URI.create(url))).header("Content-Type", type)
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static String b64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
