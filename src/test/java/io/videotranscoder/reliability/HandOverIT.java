package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two service processes on one Redis: a worker stopped with SIGTERM hands its running job to the other at once. */
class HandOverIT {

    @TempDir
    Path root;

    @Test
    void a_job_running_on_a_worker_stopped_with_sigterm_moves_to_another_worker_at_once() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"));
        redis.start();
        // A lease longer than this test waits: the job can only move in time if it is handed back. A handed-back job
        // is found at the next look for expired leases, and progress shows at the next watch: both short here.
        Map<String, String> shared = Map.of("REDIS_URL", redis.url(), "TRANSCODER_LEASE_MS", "120000",
                "TRANSCODER_CLAIM_INTERVAL_MS", "200", "TRANSCODER_QUEUE_BLOCK_MS", "200",
                "TRANSCODER_WATCH_PERIOD_MS", "250", "TRANSCODER_DATA_DIR", root.resolve("videos").toString(),
                "TRANSCODER_INBOX_DIR", root.resolve("inbox").toString());
        Map<String, String> a = new HashMap<>(shared);
        a.put("TRANSCODER_WORKER_NAME", "worker-a");
        Map<String, String> b = new HashMap<>(shared);
        b.put("TRANSCODER_WORKER_NAME", "worker-b");
        try (JarProcess first = JarProcess.launch(root.resolve("a"), root.resolve("a.log"), TestApp.freePort(), a);
             JarProcess second = JarProcess.launch(root.resolve("b"), root.resolve("b.log"), TestApp.freePort(), b)) {
            // Still encoding when the signal comes (HEVC runs about real time here); seconds to finish.
            Path clip = Media.clip(root, "long.mp4", 5, "1280x720");
            first.awaitLive();
            second.awaitLive();
            String id = first.http().upload("/jobs", clip, "long.mp4", Map.of("preset", "hevc-1080p")).json()
                    .path("id").asText();
            JsonNode running = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> first.http().get("/jobs/" + id).json(), j -> j.path("progress").asInt() > 0);
            boolean onFirst = running.path("worker").asText().equals("worker-a");
            JarProcess stopped = onFirst ? first : second;
            JarProcess other = onFirst ? second : first;

            stopped.process().destroy(); // SIGTERM
            stopped.process().waitFor();
            // The JVM waited for Camel's shutdown, whose hand-back and last lines are logged.
            String log = Files.readString(root.resolve(stopped == first ? "a.log" : "b.log"));
            assertTrue(log.contains("handed back to the group on shutdown"), stopped.logTail());
            assertTrue(log.contains(") shutdown in "), stopped.logTail());

            Http http = other.http();
            // Begun again long before its lease could expire.
            JsonNode moved = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> http.get("/jobs/" + id).json(), j -> j.path("attempts").asInt() == 2);
            assertEquals(onFirst ? "worker-b" : "worker-a", moved.path("worker").asText());
            JsonNode done = http.get("/jobs/" + id + "?wait=60").json();
            assertEquals("succeeded", done.path("status").asText(), done.toString());
            assertEquals(2, done.path("attempts").asInt());
            assertEquals(1, done.path("outputs").size());
        } finally {
            redis.stop();
        }
    }
}
