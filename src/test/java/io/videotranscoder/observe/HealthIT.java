package io.videotranscoder.observe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health on the management port: live while the process works, ready only while Redis answers. */
class HealthIT {

    @TempDir
    Path root;

    @Test
    void ready_is_down_and_the_api_answers_503_while_redis_is_unreachable() throws Exception {
        int closed = TestApp.freePort(); // nothing listens there
        try (TestApp app = TestApp.start(root.resolve("data"),
                Map.of("transcoder.redis-url", "redis://127.0.0.1:" + closed))) {
            var ready = app.management().get("/observe/health/ready");
            assertEquals(503, ready.status());
            assertTrue(ready.body().contains("Redis unreachable"), ready.body());
            assertEquals(200, app.management().get("/observe/health/live").status());

            var jobs = app.http().get("/jobs");
            assertEquals(503, jobs.status());
            assertEquals("application/problem+json", jobs.header("Content-Type"));
            assertEquals("5", jobs.header("Retry-After"));
        }
    }

    @Test
    void ready_is_up_with_redis() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            // Camel's consumer checks count too: ready once the inbox has polled for the first time.
            var ready = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> app.management().get("/observe/health/ready"), answer -> answer.status() == 200);
            assertTrue(ready.body().contains("UP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> app.management().get("/observe/metrics").body()
                    .contains("\ntranscoder_queue_depth 0.0\n")); // once the group is made and read

            // Redis stops answering, its connections open (SIGSTOP: a host lost, a partition). A scrape shows what
            // Redis said last (unknown once it is three readings old) at once; it read Redis's counts itself, one
            // reply timeout each, on the management server's event loop, where the liveness check waited behind it
            // until Kubernetes restarted the pod.
            List<ProcessHandle> redis = ProcessHandle.of(Long.parseLong(Files.readString(app.dataDir()
                    .resolve(".redis").resolve("redis.pid")).strip())).stream().toList();
            assertFalse(redis.isEmpty(), "the embedded Redis's process is found");
            Frozen.signal("STOP", redis);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
                    assertEquals(200, app.management().get("/observe/metrics").status());
                    assertEquals(200, app.management().get("/observe/metrics").status());
                    assertEquals(200, app.management().get("/observe/health/live").status());
                });
            } finally {
                Frozen.signal("CONT", redis);
            }
        }
    }
}
