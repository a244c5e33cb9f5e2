package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker process killed with SIGKILL in the middle of a segment: that segment alone is redone, by another worker
 * once its lease expires; the segments it had stored are not; the job is joined once and succeeds on its first attempt.
 * Killed as its join runs: the other worker joins the stored parts, encoding none again.
 */
class SplitKillIT {

    private static final String LEASE_MS = "3000";
    private static final String PARTS = "transcoder_segments_total{camelContext=\"video-transcoder\",kind=";

    @TempDir
    Path root;

    @Test
    void a_segment_whose_worker_is_killed_is_redone_alone_elsewhere_and_the_job_succeeds_once() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), TestApp.CACHE);
        redis.start();
        try (JarProcess first = firstWorker(redis)) {
            Path clip = Media.clip(root, "long.mp4", 12, "640x360");
            String id = submitted(first, clip);
            // A segment's FFmpeg is frozen once one segment is stored, so that it cannot end before the kill.
            await().atMost(Duration.ofSeconds(60)).until(() -> first.http().get("/jobs/" + id).json(),
                    j -> j.path("segments").path("done").asInt() >= 1);
            List<ProcessHandle> frozen = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Frozen.encodes(first.process().toHandle(), id, "segment-"), list -> !list.isEmpty());

            first.process().destroyForcibly(); // SIGKILL, in the middle of a segment: its FFmpeg dies with it
            first.process().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> frozen.stream().allMatch(Frozen::gone));

            try (TestApp other = otherWorker(redis)) {
                Http http = other.http();
                int storedByFirst = http.get("/jobs/" + id).json().path("segments").path("done").asInt();
                JsonNode done = await().atMost(Duration.ofSeconds(180)).until(
                        () -> http.get("/jobs/" + id + "?wait=20").json(),
                        j -> !j.path("status").asText().matches("queued|running"));

                assertEquals("succeeded", done.path("status").asText(), done.toString());
                assertEquals(1, done.path("attempts").asInt(), "the job itself was not begun again");
                int total = done.path("segments").path("total").asInt();
                assertEquals(4, total);
                assertTrue(storedByFirst >= 1 && storedByFirst < total, "stored before the kill: " + storedByFirst);
                String metrics = metricsOnceJoined(other);
                assertTrue(metrics.contains(PARTS + "\"segment\"} " + (total - storedByFirst) + ".0"),
                        "the other worker ran only the segments not stored, the killed one among them ("
                        + storedByFirst + " stored before the kill): " + metrics.lines()
                                .filter(l -> l.startsWith("transcoder_segments")).toList());
                MediaChecks.assertEquivalent(clip, root.resolve("videos").resolve(id).resolve("output.mp4"),
                        List.of(0.0, 3.0, 6.0, 9.0));
            }
        } finally {
            redis.stop();
        }
    }

    @Test
    void a_join_whose_worker_is_killed_is_done_by_another_worker_from_the_stored_parts() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), TestApp.CACHE);
        redis.start();
        try (JarProcess first = firstWorker(redis)) {
            Path clip = Media.clip(root, "long.mp4", 12, "640x360");
            String id = submitted(first, clip);
            // Frozen with its programs once the join's FFmpeg (or the check of its output) is seen, so that the join
            // cannot end on it, then killed. Looked for often (each look reads /proc) once every segment is stored.
            await().atMost(Duration.ofSeconds(120)).until(() -> first.http().get("/jobs/" + id).json(),
                    j -> j.path("segments").path("total").asInt() > 0
                         && j.path("segments").path("done").asInt() == j.path("segments").path("total").asInt());
            List<ProcessHandle> frozen = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                    .until(() -> joinUnder(first.process().toHandle()), list -> !list.isEmpty());
            first.process().destroyForcibly(); // SIGKILL
            first.process().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> frozen.stream().allMatch(Frozen::gone));

            try (TestApp other = otherWorker(redis)) {
                Http http = other.http();
                JsonNode done = await().atMost(Duration.ofSeconds(180)).until(
                        () -> http.get("/jobs/" + id + "?wait=20").json(),
                        j -> !j.path("status").asText().matches("queued|running"));

                assertEquals("succeeded", done.path("status").asText(), done.toString());
                assertEquals(1, done.path("attempts").asInt(), "the job itself was not begun again");
                assertEquals(done.path("segments").path("total").asInt(),
                        done.path("segments").path("done").asInt());
                String metrics = metricsOnceJoined(other);
                assertTrue(metrics.lines().noneMatch(l -> l.startsWith(PARTS + "\"segment\"}")
                        && !l.endsWith(" 0.0")), "no segment encoded again: " + metrics.lines()
                                .filter(l -> l.startsWith("transcoder_segments")).toList());
                Path job = root.resolve("videos").resolve(id);
                MediaChecks.assertEquivalent(clip, job.resolve("output.mp4"), List.of(0.0, 3.0, 6.0, 9.0));
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(job.resolve("parts")));
            }
        } finally {
            redis.stop();
        }
    }

    /** The packaged jar as worker-a (and the API), splitting every 3 s of inputs of 5 s or more. */
    private JarProcess firstWorker(EmbeddedRedis redis) throws Exception {
        return JarProcess.launch(root.resolve("a"), root.resolve("a.log"), TestApp.freePort(), Map.of("REDIS_URL",
                redis.url(), "TRANSCODER_LEASE_MS", LEASE_MS, "TRANSCODER_CLAIM_INTERVAL_MS", "500",
                "TRANSCODER_WORKER_NAME", "worker-a", "TRANSCODER_SPLIT_MIN_SECONDS", "5",
                "TRANSCODER_SEGMENT_SECONDS", "3", "TRANSCODER_DATA_DIR", root.resolve("videos").toString(),
                "TRANSCODER_INBOX_DIR", root.resolve("inbox").toString()));
    }

    /** worker-b, in the test's JVM, on the same Redis and data root with the same settings. */
    private TestApp otherWorker(EmbeddedRedis redis) throws Exception {
        return TestApp.start(root.resolve("videos"), Map.of("transcoder.redis-url", redis.url(),
                "transcoder.lease", LEASE_MS + "ms", "transcoder.claim-interval", "500ms",
                "transcoder.worker-name", "worker-b", "transcoder.split-min-seconds", "5",
                "transcoder.segment-seconds", "3", "transcoder.inbox-dir", root.resolve("inbox").toString()));
    }

    /**
     * The clip submitted to the first worker once it is up, split in four by the workers' settings: its job's id.
     * Encoded with the shipped h264-480p, which keeps the clip's 640x360: a quarter of the CPU of h264-720p's
     * enlargement, and output files of about the same size, so the join takes as long.
     */
    private static String submitted(JarProcess first, Path clip) throws Exception {
        first.awaitLive();
        return first.http().upload("/jobs", clip, "long.mp4", Map.of("preset", "h264-480p")).json().path("id")
                .asText();
    }

    /**
     * The other worker's metrics once it has counted its join: the count is the route's last step, after the job's
     * end is stored, so a reader woken by that end can come first. Joined here, once.
     */
    private static String metricsOnceJoined(TestApp other) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> other.management().get("/observe/metrics").body(),
                        metrics -> metrics.contains(PARTS + "\"join\"} 1.0"));
    }

    /**
     * Once a program of the join runs under the process (its FFmpeg reads the segments' list; it and the output's
     * check work in the attempt's {@code .work/}, where no segment is encoded), the process and its programs, stopped
     * (SIGSTOP); none before. Programs only once they are FFmpeg or ffprobe: a wrapper of the sandbox frozen before
     * setpriv has no death signal yet, and would outlive the killed worker, stopped.
     */
    private static List<ProcessHandle> joinUnder(ProcessHandle process) throws Exception {
        List<ProcessHandle> programs = process.descendants().filter(p -> Frozen.runs(p, "ffmpeg", "ffprobe"))
                .toList();
        if (programs.stream().noneMatch(p -> p.info().commandLine().orElse("")
                .matches(".*(segments\\.ffconcat|/\\.work/).*"))) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>(programs);
        all.add(process);
        Frozen.signal("STOP", all);
        return all;
    }
}
