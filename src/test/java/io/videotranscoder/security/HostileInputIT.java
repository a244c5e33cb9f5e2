package io.videotranscoder.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Listener;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.PacedUpload;
import io.videotranscoder.support.SseClient;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.Trickle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile upload can no longer do, end to end with real Redis and FFmpeg: make FFmpeg fetch a URL or read a
 * local file, multiply its work with a timestamp gap, hold a worker with an FFmpeg that ignores SIGTERM, pass its own
 * error off as a stop, carry its metadata into the outputs, or pass a picture or a ladder's sound that stops
 * decoding halfway off as a success; nor can a client trickling its request head hold a connection.
 */
class HostileInputIT {

    private static final long GIB = 1L << 30;

    @TempDir
    Path root;

    private Listener listener;

    @BeforeEach
    void listen() throws Exception {
        listener = new Listener();
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
    }

    private Path clips() throws Exception {
        return Files.createDirectories(root.resolve("clips"));
    }

    private static JsonNode awaitEnd(Http http, String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/jobs/" + id + "?wait=20").json(), j -> j.path("status").asText().matches(
                        "succeeded|failed|cancelled"));
    }

    /** A DASH manifest in Latin-1 (its byte for "é" is not UTF-8), so that it passes for binary at upload. */
    private Path manifest(String name, String baseUrl) throws Exception {
        return Files.write(clips().resolve(name), """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <!-- café -->
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011"
                     type="static" mediaPresentationDuration="PT1S" minBufferTime="PT1S">
                  <BaseURL>%s</BaseURL>
                  <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000" width="320"
                     height="240" codecs="avc1.42c00d"><BaseURL>leak.mp4</BaseURL></Representation></AdaptationSet>
                  </Period>
                </MPD>
                """.formatted(baseUrl).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A text file in Latin-1 (its byte for "é" is not UTF-8), so that it passes for binary at upload. */
    private Path latin1(String name, String text) throws Exception {
        return Files.write(clips().resolve(name), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void manifests_playlists_and_session_descriptions_are_refused_and_nothing_is_fetched() throws Exception {
        Path secret = Files.createDirectories(root.resolve("secret"));
        Media.clip(secret, "leak.mp4", 1, "320x240");
        Map<Path, String> uploads = Map.of(
                manifest("remote.mp4", listener.url("/")), "MPEG-DASH manifests are not accepted",
                manifest("local.mp4", "file:" + secret + "/"), "MPEG-DASH manifests are not accepted",
                latin1("concat.mp4", "ffconcat version 1.0\n# caf\u00e9\nfile " + secret + "/leak.mp4\nfile "
                        + listener.url("/leak.mp4") + "\n"), "FFmpeg concat scripts are not accepted",
                latin1("session.mp4", "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=caf\u00e9\r\nc=IN IP4 127.0.0.1\r\n"
                        + "t=0 0\r\nm=video " + listener.port() + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"),
                "SDP session descriptions are not accepted");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            Http http = app.http();
            for (Map.Entry<Path, String> upload : uploads.entrySet()) {
                Http.Answer accepted = http.upload("/jobs", upload.getKey(), "clip.mp4", Map.of());
                assertEquals(202, accepted.status(), accepted.body());
                JsonNode job = awaitEnd(http, accepted.json().path("id").asText());
                assertEquals("failed", job.path("status").asText(), job.toString());
                assertTrue(job.path("error").asText().startsWith(upload.getValue() + ": upload the media itself"),
                        job.toString());
                assertEquals(1, job.path("attempts").asInt(), "a refusal is final, not retried");
                assertEquals(0, job.path("outputs").size());
            }
            assertEquals(0, listener.connections(), "FFmpeg opened no connection");
        }
    }

    @Test
    void a_timestamp_gap_is_refused_by_duration_and_never_multiplies_frames() throws Exception {
        Path gap = clips().resolve("gap.mkv");
        // Two frames, the second stamped at ten hours: 900 000 frames at 25 fps if copies filled the gap.
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=1:duration=2", "-vf", "setpts='if(eq(N,0),0,36000/TB)'",
                "-fps_mode", "passthrough", "-c:v", "libx264", "-f", "matroska", gap.toString());
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            String id = app.http().upload("/jobs", gap, "gap.mkv", Map.of()).json().path("id").asText();
            JsonNode job = awaitEnd(app.http(), id);
            assertEquals("failed", job.path("status").asText());
            assertEquals("The input lasts 10:00:01, longer than the limit of 6:00:00 (TRANSCODER_MAX_INPUT_SECONDS).",
                    job.path("error").asText());
        }
        // As one encode: split into segments, its ten hours would be 1200 runs of FFmpeg on nothing (see SplitIT).
        try (TestApp app = TestApp.start(root.resolve("data2"), Map.of("transcoder.max-input-seconds", "40000",
                "transcoder.split-min-seconds", "0"))) {
            String id = app.http().upload("/jobs", gap, "gap.mkv", Map.of()).json().path("id").asText();
            JsonNode job = awaitEnd(app.http(), id);
            assertEquals("succeeded", job.path("status").asText(), job.toString());
            Path out = app.http().download("/jobs/" + id + "/output", root.resolve("gap-out.mp4"));
            String frames = Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-count_frames",
                    "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
                    out.toString()).strip();
            assertTrue(Integer.parseInt(frames) <= 2, "no frame copies fill the gap: " + frames);
        }
    }

    /**
     * A damaged upload: its picture's second half does not decode, and FFmpeg goes past it and exits 0. Its output's
     * picture lasted 2 s under the whole 4 s sound, as long as the input, and the job succeeded with half a video; it
     * fails with the reason, once (a damaged input stays damaged), and publishes nothing.
     */
    @Test
    void a_picture_that_stops_decoding_halfway_fails_the_job_rather_than_succeeding_cut_short() throws Exception {
        Path damaged = Media.damagedPicture(clips(), "damaged.mp4", 4, 2);
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            String id = app.http().upload("/jobs", damaged, "damaged.mp4", Map.of()).json().path("id").asText();
            JsonNode job = awaitEnd(app.http(), id);
            assertEquals("failed", job.path("status").asText(), job.toString());
            assertEquals("Verification failed: its picture lasts 2.04 s, the input's 4.00 s.",
                    job.path("error").asText());
            assertEquals(1, job.path("attempts").asInt(), "not tried again");
            assertEquals(0, job.path("outputs").size());
            assertFalse(Files.exists(app.dataDir().resolve(id).resolve("output.mp4")));
        }
    }

    /**
     * An HLS ladder of an upload whose sound does not decode past its middle: its playlists last as long as its
     * picture, and the job succeeded with half its sound. It fails with the reason, once, and publishes nothing.
     */
    @Test
    void a_ladder_whose_sound_stops_decoding_halfway_fails_the_job() throws Exception {
        Path damaged = Media.flacClip(clips(), "damaged.mkv", true);
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            String id = app.http().upload("/jobs", damaged, "damaged.mkv", Map.of("preset", "hls-ladder")).json()
                    .path("id").asText();
            JsonNode job = awaitEnd(app.http(), id);
            assertEquals("failed", job.path("status").asText(), job.toString());
            assertTrue(job.path("error").asText().matches(
                    "Verification failed: its sound stops at 6\\.0[0-9] s of its 12\\.0[0-9] s\\."), job.toString());
            assertEquals(1, job.path("attempts").asInt(), "not tried again");
            assertFalse(Files.exists(app.dataDir().resolve(id).resolve("master.m3u8")));
        }
    }

    @Test
    void the_inputs_title_and_location_do_not_reach_the_output() throws Exception {
        Path tagged = clips().resolve("tagged.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-i", Media.clip(clips(), "plain.mp4", 1,
                "320x240").toString(), "-c", "copy", "-metadata", "title=Private title", "-metadata",
                "location=+48.8584+002.2945/", "-metadata", "comment=home address", tagged.toString());
        assertTrue(tags(tagged).contains("Private title"), "the upload carries the tags");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            String id = app.http().upload("/jobs", tagged, "tagged.mp4", Map.of()).json().path("id").asText();
            assertEquals("succeeded", awaitEnd(app.http(), id).path("status").asText());
            String out = tags(app.http().download("/jobs/" + id + "/output", root.resolve("out.mp4")));
            assertFalse(out.contains("Private title") || out.contains("48.8584") || out.contains("home address"), out);
        }
    }

    /**
     * A file that carries 9 MiB of metadata (ffprobe describes it in as much JSON): refused as the input's fault,
     * saying why, from a description kept within 8 MiB. camel-exec held the whole description in the worker's memory,
     * which a few such tags of control characters (each printed as six) made larger than its heap.
     */
    @Test
    void an_input_carrying_megabytes_of_metadata_is_refused_saying_why() throws Exception {
        Path metadata = Files.writeString(clips().resolve("meta.txt"), ";FFMETADATA1\ntitle=" + "a".repeat(9 << 20)
                + "\n");
        Path tagged = clips().resolve("heavy.mkv");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-i", Media.clip(clips(), "plain.mp4", 1,
                "320x240").toString(), "-f", "ffmetadata", "-i", metadata.toString(), "-map_metadata", "1", "-c",
                "copy", tagged.toString());
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            String id = app.http().upload("/jobs", tagged, "heavy.mkv", Map.of()).json().path("id").asText();
            JsonNode job = awaitEnd(app.http(), id);
            assertEquals("failed", job.path("status").asText(), job.toString());
            assertTrue(job.path("error").asText().contains("longer than 8 MiB"), job.toString());
        }
    }

    private static String tags(Path file) throws Exception {
        return Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-show_entries", "format_tags:stream_tags",
                "-of", "compact", file.toString());
    }

    /**
     * A stand-in FFmpeg: {@code -encoders} and {@code -version} (the start-up checks) from the real one; any encode runs
     * {@code body}.
     */
    private Path standIn(String name, String body) throws Exception {
        Path script = root.resolve(name);
        Files.writeString(script, """
                #!/bin/sh
                for a in "$@"; do case "$a" in -encoders|-version) exec %s "$@";; esac; done
                for a in "$@"; do case "$a" in file:*progress.txt) p="${a#file:}";; esac; done
                %s
                """.formatted(Media.tools().ffmpeg(), body));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static boolean runsFor(String id) {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> p.isAlive() && p.info().commandLine().orElse("").contains(id));
    }

    @Test
    void a_cancel_escalates_to_sigkill_and_the_job_reads_cancelled_only_once_ffmpeg_is_gone() throws Exception {
        Path deaf = standIn("ffmpeg-deaf", """
                trap '' TERM
                t=0
                while :; do printf 'out_time_us=%s\\nprogress=continue\\n' "$t" >> "$p"; t=$((t + 100000)); sleep 0.2; done
                """);
        Path clip = Media.clip(clips(), "clip.mp4", 1, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.ffmpeg-path", deaf.toString(),
                "transcoder.ffprobe-path", Media.tools().ffprobe().toString(), "transcoder.stop-grace", "4s"))) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> runsFor(id));

            Http.Answer cancel = http.delete("/jobs/" + id);
            assertEquals(202, cancel.status(), cancel.body());
            assertEquals("running", cancel.json().path("status").asText());
            // SIGTERM is ignored: for the grace the job stays running, as its FFmpeg does (a second of it seen, ended
            // well within the grace even on a loaded machine, where each look at the processes is slow).
            await().during(Duration.ofMillis(1000)).atMost(Duration.ofMillis(3000)).until(() -> runsFor(id)
                    && http.get("/jobs/" + id).json().path("status").asText().equals("running"));
            assertEquals(202, http.delete("/jobs/" + id).status(), "a repeated cancel is accepted");

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
                boolean cancelled = http.get("/jobs/" + id).json().path("status").asText().equals("cancelled");
                assertFalse(cancelled && runsFor(id), "cancelled while its FFmpeg still runs");
                return cancelled;
            });
            assertFalse(Files.exists(app.dataDir().resolve(id)), "a cancelled upload's files are removed");
        }
    }

    @Test
    void exit_255_is_ffmpegs_own_error_and_the_probes_verdict_wins() throws Exception {
        Path failing = standIn("ffmpeg-255", """
                echo "Unsafe file name 'x'" >&2
                exit 255
                """);
        Path sound = Media.audioOnly(clips(), "sound.m4a");
        Path clip = Media.clip(clips(), "clip.mp4", 1, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.ffmpeg-path", failing.toString(),
                "transcoder.ffprobe-path", Media.tools().ffprobe().toString()))) {
            Http http = app.http();
            String noVideo = http.upload("/jobs", sound, "sound.m4a", Map.of()).json().path("id").asText();
            JsonNode job = awaitEnd(http, noVideo);
            assertEquals("failed", job.path("status").asText());
            assertTrue(job.path("error").asText().startsWith("The file has no video stream"), job.toString());
            assertEquals(1, job.path("attempts").asInt(), "failed at once, not retried as if stopped");

            String video = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            job = awaitEnd(http, video);
            assertEquals("FFmpeg failed (exit code 255): Unsafe file name 'x'", job.path("error").asText());
            assertEquals(1, job.path("attempts").asInt());
        }
    }

    /** One answer's head and body (by its Content-Length), read off a connection that stays open. */
    private static String answer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the answer ended in its head: " + head);
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    @Test
    void a_client_trickling_its_request_head_is_cut_off_but_a_long_answer_is_not() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api",
                "transcoder.request-head-timeout", "1s", "transcoder.event-keepalive", "1s"))) {
            int port = URI.create(app.http().base()).getPort();
            for (String first : new String[] {"", "GET /nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\n"}) {
                try (Socket slow = new Socket("127.0.0.1", port)) {
                    slow.setSoTimeout(20_000); // the idle timeout would wait 120 s: a read that times out fails
                    InputStream in = slow.getInputStream();
                    if (!first.isEmpty()) { // a request answered at once, then the next head trickles
                        slow.getOutputStream().write(first.getBytes(StandardCharsets.US_ASCII));
                        assertTrue(answer(in).startsWith("HTTP/1.1 404"));
                    }
                    slow.getOutputStream().write("GET /jobs HTTP/1.1\r\nHost: localhost\r\n".getBytes(
                            StandardCharsets.US_ASCII));
                    assertEquals(-1, in.read(), "closed without an answer");
                }
            }
            // A request whose head arrived is not on the clock: an event stream outlives the deadline.
            try (SseClient stream = SseClient.open(app.http().base() + "/events")) {
                assertEquals(200, stream.status(), stream.body());
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !stream.ended());
            }
        }
    }

    @Test
    void a_client_trickling_its_upload_is_cut_off_with_408_and_its_room_given_back_but_a_slow_steady_one_is_not()
            throws Exception {
        Assumptions.assumeTrue(Files.getFileStore(root).getUsableSpace() > 4L * GIB,
                "under 4 GiB free here: the room this test holds would not fit");
        // Room for 1.5 GiB of uploads, counted in the data root alone (whatever other tests write beside it); a body
        // must bring 2 000 bytes in every second.
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api",
                "transcoder.data-limit-bytes", Long.toString(3 * GIB / 2), "transcoder.min-free-bytes", "1048576",
                "transcoder.min-body-rate", "2000", "transcoder.body-rate-window", "1s"))) {
            int port = URI.create(app.http().base()).getPort();
            LogCapture log = new LogCapture();
            PacedUpload slow = new PacedUpload(port, "/jobs", "slow.mp4", GIB);
            slow.send(new byte[100_000]); // the server writes the file part to disk from here on
            try (log; slow; Trickle trickle = Trickle.start(slow::send, new byte[64 * 1024], 100,
                    Duration.ofMillis(250))) {
                // The slow upload holds a GiB of the room once the server has its head.
                long heldRoom = await().atMost(Duration.ofSeconds(10)).until(() -> roomLeft(port), room -> room < 700);
                String cut = slow.answer();
                assertTrue(cut.startsWith("HTTP/1.1 408"), cut);
                assertTrue(cut.contains("application/problem+json") && cut.contains("arrived too slowly"), cut);
                assertTrue(trickle.sent() < 8000, "cut off within a few windows: " + trickle.sent() + " bytes sent");
                await().atMost(Duration.ofSeconds(10)).until(() -> roomLeft(port) > heldRoom + 700);
                await().atMost(Duration.ofSeconds(10)).until(() -> isEmpty(app.dataDir().resolve(".uploads")));
                // Its connection closed by the server (the client reads its end) and its file cancelled once:
                // Vert.x cancelled it again as the connection closed, which threw on the event loop (an ERROR with
                // a stack trace for each client cut off).
                assertEquals(-1, slow.read());
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                        .until(() -> !log.text().contains(" ERROR "));
            }
            // A clip sent in small pieces, about 15 000 bytes a second, for longer than a window: taken.
            byte[] clip = Files.readAllBytes(Media.clip(clips(), "steady.mp4", 1, "320x240"));
            try (PacedUpload steady = new PacedUpload(port, "/jobs", "steady.mp4", clip.length);
                 Trickle trickle = Trickle.start(steady::send, clip, 1500, Duration.ofMillis(100))) {
                await().atMost(Duration.ofSeconds(30)).until(trickle::done);
                String taken = steady.finish();
                assertTrue(taken.startsWith("HTTP/1.1 202"), taken);
            }
            // A body on a request that takes none, which is read whole before its route: cut off too.
            try (Socket get = new Socket("127.0.0.1", port)) {
                OutputStream out = get.getOutputStream();
                out.write(("GET /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 65536\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                try (Trickle trickle = Trickle.start(bytes -> {
                    out.write(bytes);
                    out.flush();
                }, new byte[64 * 1024], 10, Duration.ofMillis(250))) {
                    get.setSoTimeout(30_000);
                    String status = new String(get.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    assertEquals("HTTP/1.1 408", status);
                }
            }
        }
    }

    @Test
    void clients_dropping_their_uploads_mid_file_leave_no_file_no_room_held_and_no_error_logged() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api",
                "transcoder.data-limit-bytes", Long.toString(2 * GIB), "transcoder.min-free-bytes", "1048576"));
             LogCapture log = new LogCapture()) {
            int port = URI.create(app.http().base()).getPort();
            Path uploads = app.dataDir().resolve(".uploads");
            long room = roomLeft(port);
            List<PacedUpload> dropped = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    dropped.add(new PacedUpload(port, "/jobs", "dropped-" + i + ".mp4", 100L << 20));
                    dropped.get(i).send(new byte[256 * 1024]);
                }
                // Each holds its room, and its file part is being written.
                await().atMost(Duration.ofSeconds(20)).until(() -> roomLeft(port) <= room - 1200
                                                                   && count(uploads) == dropped.size());
            } finally {
                for (int i = 0; i < dropped.size(); i++) {
                    if (i % 2 == 0) {
                        dropped.get(i).close();
                    } else {
                        dropped.get(i).reset();
                    }
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> count(uploads) == 0 && roomLeft(port) == room);
            // A client going away is no fault of the service's: Vert.x's body handler threw on the closed part's
            // file, and the failure a closed or reset connection left was logged as a request failing before its
            // route.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> !log.text().contains(" ERROR "));
        }
    }

    private static long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.list(folder)) {
            return files.count();
        }
    }

    /** The room for uploads a refused upload of 4 GiB is told of, in MiB. */
    private static long roomLeft(int port) throws IOException {
        try (PacedUpload big = new PacedUpload(port, "/jobs", "big.mp4", 4 * GIB)) {
            String answer = big.answer();
            Matcher room = Pattern.compile("room for (\\d+) MiB").matcher(answer);
            assertTrue(answer.startsWith("HTTP/1.1 507") && room.find(), answer);
            return Long.parseLong(room.group(1));
        }
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }
}
