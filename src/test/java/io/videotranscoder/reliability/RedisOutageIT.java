package io.videotranscoder.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogLines;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis stopped and started again under a running service: 503s meanwhile, nothing lost, work resumes by itself. */
class RedisOutageIT {

    @TempDir
    Path root;

    private static String statusOf(Http http, String id) throws Exception {
        return http.get("/jobs/" + id).json().path("status").asText();
    }

    @Test
    void the_service_answers_503_during_an_outage_and_resumes_by_itself_when_redis_is_back() throws Exception {
        int port = TestApp.freePort();
        EmbeddedRedis redis = new EmbeddedRedis(root.resolve("redis"), port, TestApp.CACHE);
        redis.start();
        Path clip = Media.clip(root, "clip.mp4", 1, "640x360");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.redis-url", redis.url(),
                "transcoder.housekeeping-period", "1s", "transcoder.inbox-claim-timeout", "1s"));
             LogLines log = LogLines.attach()) {
            Http http = app.http();
            String before = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(http, before).equals("succeeded"));

            redis.stop(); // append-only file flushed, as a managed Redis restart would
            Http.Answer during = http.get("/jobs/" + before);
            assertEquals(503, during.status(), during.body());
            assertEquals("application/problem+json", during.header("Content-Type"));
            assertEquals(503, http.upload("/jobs", clip, "clip.mp4", Map.of()).status());
            assertEquals(503, app.management().get("/observe/health/ready").status());
            // A file dropped into the inbox meanwhile: claimed, not recorded, and kept for when Redis is back.
            Files.copy(clip, app.inbox().resolve("outage.mp4"));

            // Long enough for the queue's pollers and the housekeeping to retry several times.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> app.management().get("/observe/health/ready").status() == 503);
            redis = new EmbeddedRedis(root.resolve("redis"), port, TestApp.CACHE);
            redis.start();

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> app.management().get("/observe/health/ready").status() == 200);
            assertEquals("succeeded", statusOf(http, before), "kept across the restart");
            String after = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> statusOf(http, after).equals("succeeded"));
            await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs?limit=10").json().path("jobs"),
                    jobs -> jobs.findValuesAsText("filename").contains("outage.mp4"));

            // One line when the outage starts and one when it ends, per task that rides it out (each stream's
            // consumer is one: the jobs, the parts of split jobs, the job events for the webhooks and for the inbox,
            // the webhook sends); no stack traces. A poller backing off may see Redis back up to 10 s after it is.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, List<String>> byTask = new java.util.TreeMap<>();
                log.of("RedisStreamConsumer", Level.INFO).stream().filter(l -> l.contains("Redis")).forEach(l -> byTask
                        .computeIfAbsent(l.replaceAll(".* for (stream \\S+ \\(group \\S+\\)).*", "$1"),
                                k -> new java.util.ArrayList<>()).add(l));
                byTask.put("Housekeeping", log.of("Housekeeping", Level.INFO).stream().filter(l -> l.contains("Redis"))
                        .toList());
                assertEquals(6, byTask.size(), byTask::toString);
                byTask.values().forEach(lines -> {
                    assertEquals(2, lines.size(), lines::toString);
                    assertTrue(lines.get(0).contains(" Redis unreachable"), lines::toString);
                    assertTrue(lines.get(0).startsWith("WARN "), lines::toString);
                    assertTrue(lines.get(1).startsWith("INFO ") && lines.get(1).contains(" Redis reachable again"),
                            lines::toString);
                });
            });
            assertTrue(log.problems().stream().noneMatch(l -> l.endsWith("[stack trace]")), log.problems()::toString);
        } finally {
            redis.stop();
        }
    }
}
