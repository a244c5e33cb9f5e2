package io.videotranscoder.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.WebhookReceiver;
import io.videotranscoder.support.WebhookReceiver.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Redis stopped and started again from its append-only file while a delivery waits for its third attempt. */
class WebhookRedisRestartIT {

    @TempDir
    Path root;

    @Test
    void a_scheduled_retry_survives_a_redis_restart_and_is_made_with_the_same_id() throws Exception {
        String secret = Secrets.generate();
        Path redisDir = root.resolve("redis");
        EmbeddedRedis redis = new EmbeddedRedis(redisDir, TestApp.freePort(), TestApp.CACHE);
        redis.start();
        Path clip = Media.clip(root, "clip.mp4", 1, "320x240");
        // 5 s and 5 min scaled: the second attempt 50 ms after the first, the third 3 s after the second, time for
        // Redis to stop and start again in between. An attempt made as Redis stops may find it back before it is
        // settled: it is made again once its lease (5 s here) has expired.
        try (WebhookReceiver receiver = new WebhookReceiver().on("/cb", WebhookReceiver.failingFirst(500, 500));
             JedisPooled client = RedisConnections.pooled(redis.url(), 2);
             TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.redis-url", redis.url(),
                     "transcoder.webhook-secret", secret, "transcoder.webhook-allowlist", "127.0.0.1",
                     "transcoder.webhook-retry-scale", "0.01", "transcoder.webhook-schedule-period", "100ms",
                     "transcoder.lease", "5s"))) {
            Http http = app.http();
            String job = http.upload("/jobs", clip, "clip.mp4", Map.of("callbackUrl", receiver.url("/cb")))
                    .json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(receiver).size() >= 2);
            String webhookId = succeeded(receiver).get(0).webhookId();
            String delivery = webhookId.substring("msg_".length()) + ".callback";
            await().atMost(Duration.ofSeconds(5)).until(() -> client.zscore("transcoder:webhook:scheduled", delivery)
                    != null);

            redis.stop(); // SIGTERM: Redis writes its append-only file out and exits
            assertEquals(2, succeeded(receiver).size(), "the third attempt waits in the schedule");
            redis = new EmbeddedRedis(redisDir, redis.port(), TestApp.CACHE);
            redis.start();

            await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(receiver).size() == 3);
            List<Request> attempts = succeeded(receiver);
            assertEquals(List.of(500, 500, 200), attempts.stream().map(Request::answered).toList());
            assertEquals(1, attempts.stream().map(Request::webhookId).distinct().count());
            for (Request attempt : attempts) {
                attempt.verify(secret);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/jobs/" + job + "/deliveries").json()
                    .path("deliveries").findValuesAsText("state").stream().allMatch("delivered"::equals));
        } finally {
            redis.stop();
        }
    }

    private static List<Request> succeeded(WebhookReceiver receiver) {
        return receiver.requests("/cb").stream().filter(r -> r.type().equals("job.succeeded")).toList();
    }
}
