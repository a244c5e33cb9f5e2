package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The embedded Redis killed under the all-in-one service: it comes back by itself on the same data. */
class EmbeddedRedisRestartIT {

    @TempDir
    Path root;

    private static String statusOf(Http http, String id) throws Exception {
        return http.get("/jobs/" + id).json().path("status").asText();
    }

    /** The embedded redis-server this JVM started, by the pid it wrote under the data root. */
    private static ProcessHandle embeddedRedis(Path dataDir) throws Exception {
        long pid = Long.parseLong(Files.readString(dataDir.resolve(".redis/redis.pid")).trim());
        return ProcessHandle.current().descendants().filter(h -> h.pid() == pid)
                .filter(h -> h.info().command().orElse("").contains("redis-server")).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " is not a redis-server under this JVM"));
    }

    @Test
    void a_killed_embedded_redis_is_started_again_with_its_jobs_and_the_service_recovers() throws Exception {
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            Http http = app.http();
            String before = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(http, before).equals("succeeded"));
            ProcessHandle killed = embeddedRedis(app.dataDir());

            killed.destroyForcibly(); // SIGKILL: no chance to flush or clean up
            killed.onExit().get();

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> app.management().get("/observe/health/ready").status() == 200);
            assertNotEquals(killed.pid(), embeddedRedis(app.dataDir()).pid(), "a new redis-server runs");
            assertEquals("succeeded", statusOf(http, before), "the earlier job survived on the append-only file");
            Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", Map.of());
            assertEquals(202, answer.status(), answer.body());
            String after = answer.json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(http, after).equals("succeeded"));
        }
    }
}
