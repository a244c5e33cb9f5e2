package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker process and a second worker on one Redis and data root: the worker process stopped with SIGTERM hands its
 * running job to the other at once. The second worker starts in this JVM once the job runs on the first, so that the
 * job is the first one's.
 */
class HandOverIT {

    /** A lease longer than this test waits: the job can only move in time if it is handed back. */
    private static final String LEASE_MS = "120000";

    @TempDir
    Path root;

    @Test
    void a_job_running_on_a_worker_stopped_with_sigterm_moves_to_another_worker_at_once() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), TestApp.CACHE);
        redis.start();
        // Progress shows at the next watch: short here.
        Map<String, String> env = Map.of("REDIS_URL", redis.url(), "TRANSCODER_LEASE_MS", LEASE_MS,
                "TRANSCODER_WATCH_PERIOD_MS", "250", "TRANSCODER_WORKER_NAME", "worker-a",
                "TRANSCODER_DATA_DIR", root.resolve("videos").toString(),
                "TRANSCODER_INBOX_DIR", root.resolve("inbox").toString());
        try (JarProcess first = JarProcess.launch(root.resolve("a"), root.resolve("a.log"), TestApp.freePort(), env)) {
            // Still encoding when the signal comes (HEVC runs about real time here, and the encode is frozen while
            // the other worker starts); seconds to encode again for the other.
            Path clip = Media.clip(root, "long.mp4", 3, "1280x720");
            first.awaitLive();
            String id = first.http().upload("/jobs", clip, "long.mp4", Map.of("preset", "hevc-1080p")).json()
                    .path("id").asText();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.http().get("/jobs/" + id).json(), j -> j.path("progress").asInt() > 0);
            List<ProcessHandle> encode = Frozen.running(first.process().toHandle(), id, "");
            assertFalse(encode.isEmpty(), "the first worker's FFmpeg runs");
            Frozen.signal("STOP", encode); // holds the encode where it is while the other worker starts
            try (TestApp other = TestApp.start(root.resolve("videos"), Map.of("transcoder.redis-url", redis.url(),
                    "transcoder.lease", LEASE_MS + "ms", "transcoder.worker-name", "worker-b",
                    "transcoder.inbox-dir", root.resolve("inbox").toString()))) {

                Frozen.signal("CONT", encode);
                first.process().destroy(); // SIGTERM
                first.process().waitFor();
                // The JVM waited for Camel's shutdown, whose hand-back and last lines are logged.
                String log = Files.readString(root.resolve("a.log"));
                assertTrue(log.contains("handed back to the group on shutdown"), first.logTail());
                assertTrue(log.contains(") shutdown in "), first.logTail());

                Http http = other.http();
                // Begun again long before its lease could expire, as the same attempt: a stop is none of the job's.
                JsonNode moved = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> http.get("/jobs/" + id).json(), j -> "worker-b".equals(j.path("worker").asText()));
                assertEquals(1, moved.path("attempts").asInt(), moved.toString());
                JsonNode done = await().atMost(Duration.ofMinutes(5)).until(() -> http.get("/jobs/" + id + "?wait=20")
                        .json(), j -> !j.path("status").asText().equals("running"));
                assertEquals("succeeded", done.path("status").asText(), done.toString());
                assertEquals(1, done.path("attempts").asInt());
                assertEquals(1, done.path("outputs").size());
            }
        } finally {
            redis.stop();
        }
    }
}
