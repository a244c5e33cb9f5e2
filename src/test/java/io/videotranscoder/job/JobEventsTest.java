package io.videotranscoder.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The job events connection, against a real Redis. */
class JobEventsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);

    /**
     * The shared client's blocking reads give up after the block time and the socket timeout without a byte (5.1 s
     * here): an idle subscription is pinged, so that it outlasts them, and a held ?wait is not answered early as if
     * an end had been missed.
     */
    @Test
    void an_idle_subscription_outlasts_the_blocking_timeout() throws Exception {
        try (JedisPooled redis = RedisConnections.pooled(SERVER.url(), 4, Duration.ofMillis(100))) {
            JobStore store = new JobStore(redis, "events:" + System.nanoTime() + ":");
            JobEvents events = new JobEvents(redis, store);
            AtomicInteger missed = new AtomicInteger();
            events.watch(new JobEvents.Watcher() {
                @Override
                public void changed(String id, String status) {
                }

                @Override
                public void progressed(String id) {
                }

                @Override
                public void mayHaveMissed() {
                    missed.incrementAndGet();
                }
            });
            events.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> missed.get() == 1); // subscribed: nothing missed
                AtomicBoolean ended = new AtomicBoolean();
                events.onEnd("j1", () -> ended.set(true));

                await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> !ended.get());
                redis.publish(store.eventChannel(), "j1 succeeded");

                await().atMost(Duration.ofSeconds(5)).until(ended::get);
                assertEquals(1, missed.get(), "the connection was never lost");
            } finally {
                events.stop();
            }
        }
    }
}
