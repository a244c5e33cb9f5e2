package io.videotranscoder.access;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.TestApp;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** TRANSCODER_BOOTSTRAP_ADMIN_KEY, against a real Redis. */
class BootstrapKeyTest {

    @TempDir
    Path dir;

    /**
     * A cluster's first start: the API starts before its Redis. The key is stored once Redis is up, not at the next
     * start: until then every client of a protected service was refused.
     */
    @Test
    void a_key_that_could_not_be_stored_at_start_is_stored_once_redis_is_up() throws Exception {
        int port = TestApp.freePort();
        String key = ApiKey.generate();
        EmbeddedRedis server = new EmbeddedRedis(dir, port, TestApp.CACHE);
        try (JedisPooled redis = RedisConnections.pooled(server.url(), 2);
             DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            KeyStore keys = new KeyStore(redis, "boot:");
            new BootstrapKey(keys, key, Clock.systemUTC(), Duration.ofMillis(200))
                    .onCamelContextStarted(context, false); // Redis is not up yet

            server.start();

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> keys.check(key, Instant.now()).passed());
            assertFalse(keys.check(ApiKey.generate(), Instant.now()).passed(), "another key is not taken");
        } finally {
            server.stop();
        }
    }
}
