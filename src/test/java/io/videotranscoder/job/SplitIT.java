package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long input split into segments, encoded as separate queue entries, joined once: as good as a single pass, with
 * real Redis and FFmpeg, on a 12 s clip split every 3 s.
 */
class SplitIT {

    static final Map<String, String> SPLIT = Map.of("transcoder.split-min-seconds", "5",
            "transcoder.segment-seconds", "3");

    @TempDir
    Path root;

    @Test
    void a_long_input_is_split_joined_once_and_as_good_as_one_pass() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 12, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), SPLIT)) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "long.mp4", Map.of()).json().path("id").asText();

            JsonNode job = awaitEnd(http, id);

            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertEquals(4, job.path("segments").path("total").asInt(), job.toString());
            assertEquals(4, job.path("segments").path("done").asInt());
            assertEquals(100, job.path("progress").asInt());
            Path output = app.dataDir().resolve(id).resolve("output.mp4");
            MediaChecks.assertEquivalent(clip, output, List.of(0.0, 3.0, 6.0, 9.0));
            assertFalse(Files.exists(app.dataDir().resolve(id).resolve("parts")), "the parts are removed");
            assertFalse(Files.exists(app.dataDir().resolve(id).resolve(".segments")));
            String metrics = app.management().get("/observe/metrics").body();
            String parts = "transcoder_segments_total{camelContext=\"video-transcoder\",kind=";
            assertTrue(metrics.contains(parts + "\"segment\"} 4.0"), metrics);
            assertTrue(metrics.contains(parts + "\"audio\"} 1.0"));
            assertTrue(metrics.contains(parts + "\"join\"} 1.0"));
        }
    }

    /** Flashes and beeps at every boundary, the hardest place: each beep begins within a frame of its flash. */
    @Test
    void sound_and_picture_stay_in_sync_across_the_joins() throws Exception {
        Path clip = MediaChecks.flashAndBeep(Files.createDirectories(root.resolve("clips")), 12);
        try (TestApp app = TestApp.start(root.resolve("data"), SPLIT)) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "sync.mp4", Map.of()).json().path("id").asText();

            JsonNode job = awaitEnd(http, id);

            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertEquals(4, job.path("segments").path("total").asInt());
            Path output = app.dataDir().resolve(id).resolve("output.mp4");
            List<Double> flashes = MediaChecks.flashes(output);
            List<Double> beeps = MediaChecks.beeps(output);
            assertEquals(List.of(0.0, 3.0, 6.0, 9.0), flashes, "a flash at each boundary, where the source has it");
            for (double flash : flashes.subList(1, flashes.size())) {
                assertTrue(beeps.stream().anyMatch(beep -> Math.abs(beep - flash) < 0.04),
                        "a beep within one frame of the flash at " + flash + " s: " + beeps);
            }
        }
    }

    /** MPEG-TS starts its timestamps at 1.4 s: segments are cut on them, and no frame is lost or doubled. */
    @Test
    void an_input_whose_timestamps_start_late_keeps_every_frame() throws Exception {
        Path clip = Files.createDirectories(root.resolve("clips")).resolve("late.ts");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=12:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=duration=12",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac", "-shortest", "-f", "mpegts",
                clip.toString());
        try (TestApp app = TestApp.start(root.resolve("data"), SPLIT)) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "late.ts", Map.of()).json().path("id").asText();

            JsonNode job = awaitEnd(http, id);

            assertEquals("succeeded", job.path("status").asText(), job.toString());
            // Bounds at 2.98, 5.98, 8.98 and 11.98 s of the input's time: the output's keyframes are there, counted
            // from the first frame, on the frame grid.
            assertEquals(5, job.path("segments").path("total").asInt());
            double start = MediaChecks.startTime(clip, "v:0");
            List<Double> bounds = new java.util.ArrayList<>(List.of(0.0));
            for (double bound : List.of(2.98, 5.98, 8.98, 11.98)) {
                bounds.add(Math.ceil((bound - start) * 25 - 1e-6) / 25);
            }
            MediaChecks.assertEquivalent(clip, app.dataDir().resolve(id).resolve("output.mp4"), bounds);
        }
    }

    @Test
    void a_job_can_turn_splitting_off() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 6, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), SPLIT)) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "long.mp4", Map.of("split", "false")).json().path("id").asText();

            JsonNode job = awaitEnd(http, id);

            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertFalse(job.has("segments"), "run as one: " + job);
        }
    }

    @Test
    void a_cancel_stops_every_segment_and_leaves_no_segment_files() throws Exception {
        // HEVC at 720p runs about real time here: the cancel comes while segments are encoded.
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 12, "1280x720");
        try (TestApp app = TestApp.start(root.resolve("data"), SPLIT)) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "long.mp4", Map.of("preset", "hevc-1080p")).json()
                    .path("id").asText();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> http.get("/jobs/" + id).json().path("segments").path("done").asInt() >= 1);

            Http.Answer cancelled = http.delete("/jobs/" + id);

            assertEquals(202, cancelled.status(), cancelled.body());
            JsonNode job = awaitEnd(http, id);
            assertEquals("cancelled", job.path("status").asText(), job.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> !ffmpegRunsFor(id));
            assertFalse(Files.exists(app.dataDir().resolve(id)), "no segment, no input, no work is left");
            assertTrue(job.path("segments").path("done").asInt() < 4, job.toString());
        }
    }

    static JsonNode awaitEnd(Http http, String id) {
        return await().atMost(Duration.ofSeconds(180)).until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                j -> List.of("succeeded", "failed", "cancelled").contains(j.path("status").asText()));
    }

    static boolean ffmpegRunsFor(String id) {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(id) && p.isAlive());
    }
}
