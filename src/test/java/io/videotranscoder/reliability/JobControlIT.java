package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.http.JobWaits;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancel, retry, the stall watchdog and disk admission, end to end with real Redis and FFmpeg. */
class JobControlIT {

    @TempDir
    Path root;

    private Path clips() throws Exception {
        return Files.createDirectories(root.resolve("clips"));
    }

    /** Waits for an end ({@code succeeded} or {@code failed}): each read is held until the job has ended. */
    private static JsonNode awaitStatus(Http http, String id, String status, int seconds) {
        return await().atMost(Duration.ofSeconds(seconds))
                .until(() -> http.get("/jobs/" + id + "?wait=20").json(), job -> job.path("status").asText().equals(status));
    }

    private static boolean ffmpegRunsFor(String id) {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(id) && p.isAlive());
    }

    @Test
    void a_cancelled_queued_job_never_starts() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        try (TestApp api = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api"))) {
            Http http = api.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            CompletableFuture<Http.Answer> waited = http.getAsync("/jobs/" + id + "?wait=25");
            JobWaits waits = api.context().getRegistry().lookupByNameAndType("jobWaits", JobWaits.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting() == 1);

            Http.Answer cancelled = http.delete("/jobs/" + id);

            assertEquals(200, cancelled.status(), cancelled.body());
            assertEquals("cancelled", cancelled.json().path("status").asText());
            assertEquals("cancelled", waited.get(10, TimeUnit.SECONDS).json().path("status").asText(),
                    "a wait ends when the job is cancelled");
            assertFalse(Files.exists(api.dataDir().resolve(id)), "a queued job's files are removed at once");
            String redisUrl = api.context().hasService(EmbeddedRedis.class).url();
            try (TestApp worker = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "worker",
                    "transcoder.redis-url", redisUrl))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> worker.management()
                        .get("/observe/metrics").body().contains("transcoder_queue_depth 0.0"));
                JsonNode job = http.get("/jobs/" + id).json();
                assertEquals("cancelled", job.path("status").asText());
                assertEquals(0, job.path("attempts").asInt());
                assertFalse(job.has("startedAt"));
            }
        }
    }

    @Test
    void a_cancelled_running_job_has_its_ffmpeg_stopped_and_its_work_removed() throws Exception {
        // Still encoding when the cancel comes: its FFmpeg is frozen as soon as it is seen, until the cancel's SIGTERM
        // waits for it; it is never encoded to the end. The shipped presets (not the tests' ultrafast one): at
        // ultrafast the encode took 1.5 s, and a poll slowed by a busy machine missed it.
        Path longer = Media.clip(clips(), "longer.mp4", 8, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.presets-dir", ""))) {
            Http http = app.http();
            String id = http.upload("/jobs", longer, "longer.mp4", Map.of()).json().path("id").asText();
            List<ProcessHandle> frozen = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Frozen.encodes(ProcessHandle.current(), id, ""), list -> !list.isEmpty());
            assertTrue(ffmpegRunsFor(id));

            Http.Answer cancelled = http.post("/jobs/" + id + "/cancel", "application/json", "");

            assertEquals(202, cancelled.status(), "the worker is asked to stop it: " + cancelled.body());
            Frozen.resumeOnceTermed(frozen);
            JsonNode job = http.get("/jobs/" + id + "?wait=10").json();
            assertEquals("cancelled", job.path("status").asText());
            assertFalse(ffmpegRunsFor(id), "cancelled only once FFmpeg is gone");
            assertFalse(Files.exists(app.dataDir().resolve(id)), "its work and its input are removed");
            // The worker is done with it once it runs nothing.
            await().atMost(Duration.ofSeconds(10)).until(() -> app.management().get("/observe/metrics").body()
                    .contains("transcoder_jobs_running 0.0"));
            assertEquals(0, job.path("outputs").size());
            Http.Answer again = http.post("/jobs/" + id + "/cancel", "application/json", "");
            assertEquals(409, again.status(), "a cancel never removes a job that has ended: " + again.body());
            assertEquals(200, http.get("/jobs/" + id).status());

            Http.Answer removed = http.delete("/jobs/" + id);
            assertEquals(204, removed.status(), "a finished job is removed");
            assertEquals(404, http.get("/jobs/" + id).status());
            assertEquals(404, http.delete("/jobs/" + id).status());
        }
    }

    @Test
    void deleting_a_finished_job_frees_its_files_and_forgets_it() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            awaitStatus(http, id, "succeeded", 60);
            assertTrue(Files.exists(app.dataDir().resolve(id).resolve("output.mp4")));

            assertEquals(204, http.delete("/jobs/" + id).status());

            assertFalse(Files.exists(app.dataDir().resolve(id)), "input and outputs are removed");
            assertEquals(404, http.get("/jobs/" + id).status());
            assertEquals(0, http.get("/jobs").json().path("jobs").size());
        }
    }

    @Test
    void a_failed_job_can_be_retried_and_other_states_cannot() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        byte[] whole = Files.readAllBytes(clip);
        Path broken = Files.write(clips().resolve("broken.mp4"), Arrays.copyOf(whole, whole.length / 3));
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            Http http = app.http();
            String failed = http.upload("/jobs", broken, "broken.mp4", Map.of()).json().path("id").asText();
            String first = awaitStatus(http, failed, "failed", 60).path("startedAt").asText();
            String good = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            awaitStatus(http, good, "succeeded", 60);

            Http.Answer retried = http.post("/jobs/" + failed + "/retry", "application/json", "");
            assertEquals(202, retried.status(), retried.body());
            assertEquals("queued", retried.json().path("status").asText());
            JsonNode again = awaitStatus(http, failed, "failed", 60);
            assertTrue(!again.path("startedAt").asText().equals(first), "it ran again");

            assertEquals(409, http.post("/jobs/" + good + "/retry", "application/json", "").status());
            assertEquals(404, http.post("/jobs/00000000-0000-4000-8000-000000000000/retry", "application/json", "")
                    .status());
        }
    }

    /**
     * A stand-in for FFmpeg that answers -encoders and -version (the start-up checks) with the real one, then reports
     * progress (advancing by {@code step} microseconds every half second: 0 for a stall) and never finishes.
     */
    private Path neverEndingFfmpeg(long step) throws Exception {
        Path script = root.resolve("ffmpeg-" + step);
        Files.writeString(script, """
                #!/bin/sh
                for a in "$@"; do case "$a" in -encoders|-version) exec %s "$@";; esac; done
                for a in "$@"; do case "$a" in file:*progress.txt) p="${a#file:}";; esac; done
                t=0
                while :; do
                  printf 'out_time_us=%%s\\nprogress=continue\\n' "$t" >> "$p"
                  t=$((t + %d))
                  sleep 0.5
                done
                """.formatted(Media.tools().ffmpeg(), step));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void an_encode_far_slower_than_its_input_is_stopped_and_retried_then_failed() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of(
                "transcoder.ffmpeg-path", neverEndingFfmpeg(10_000).toString(), // 0.02x real time
                "transcoder.ffprobe-path", Media.tools().ffprobe().toString(),
                "transcoder.max-slowdown", "1", "transcoder.min-encode-limit", "0m",
                "transcoder.retry-backoff", "500ms", "transcoder.max-attempts", "2"))) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            JsonNode failed = awaitStatus(http, id, "failed", 60);
            assertTrue(failed.path("error").asText().contains("ran far longer than the input lasts"),
                    failed.toString());
            await().atMost(Duration.ofSeconds(5)).until(() -> !ffmpegRunsFor(id));
        }
    }

    @Test
    void a_stalled_ffmpeg_is_stopped_retried_with_backoff_then_failed() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of(
                "transcoder.ffmpeg-path", neverEndingFfmpeg(0).toString(),
                "transcoder.ffprobe-path", Media.tools().ffprobe().toString(),
                "transcoder.stall-timeout", "1s", "transcoder.retry-backoff", "500ms",
                "transcoder.max-attempts", "2"))) {
            Http http = app.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            JsonNode retrying = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> http.get("/jobs/" + id).json(), j -> j.path("error").asText().startsWith("Attempt 1"));
            assertTrue(retrying.path("error").asText().contains("no progress"), retrying.toString());

            JsonNode failed = awaitStatus(http, id, "failed", 60);
            assertTrue(failed.path("error").asText().startsWith("Gave up after 2 attempts: the last one: Attempt 2"),
                    failed.toString());
            assertFalse(failed.path("error").asText().contains("retrying"), "no retry is announced: " + failed);
            await().atMost(Duration.ofSeconds(5)).until(() -> !ffmpegRunsFor(id));
        }
    }

    @Test
    void low_disk_space_refuses_uploads_with_507_and_leaves_inbox_files_in_place() throws Exception {
        Path clip = Media.clip(clips(), "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of(
                "transcoder.min-free-bytes", Long.toString(Long.MAX_VALUE)))) {
            Http.Answer refused = app.http().upload("/jobs", clip, "clip.mp4", Map.of());
            assertEquals(507, refused.status(), refused.body());
            assertEquals("application/problem+json", refused.header("Content-Type"));

            Path dropped = Files.copy(clip, app.inbox().resolve("waiting.mp4"));
            // Many inbox polls (every 0.1 s) pass over it: it stays where it is the whole time.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Files.exists(dropped));
            assertEquals(0, app.http().get("/jobs").json().path("jobs").size());
            // Refused before its body was read: nothing of it was written, not even the uploads' folder.
            assertFalse(Files.exists(app.dataDir().resolve(".uploads")), "the refused upload is not written");
        }
    }
}
