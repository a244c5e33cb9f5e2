package io.videotranscoder.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.TestApp;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The job events connection, against a real Redis. */
class JobEventsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);
    private static final Duration REPLY = Duration.ofSeconds(1);

    /**
     * The shared client's blocking reads give up after the block time and the reply timeout without a byte (1.1 s
     * here): an idle subscription is pinged, so that it outlasts them, and a held ?wait is not answered early as if
     * an end had been missed.
     */
    @Test
    void an_idle_subscription_outlasts_the_blocking_timeout() throws Exception {
        try (JedisPooled redis = RedisConnections.pooled(SERVER.url(), 4, Duration.ofMillis(100), REPLY)) {
            JobStore store = new JobStore(redis, "events:" + System.nanoTime() + ":");
            JobEvents events = new JobEvents(redis, store, REPLY);
            AtomicInteger missed = misses(events);
            events.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> missed.get() == 1); // subscribed: nothing missed
                AtomicBoolean ended = new AtomicBoolean();
                events.onEnd("j1", () -> ended.set(true));

                await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> !ended.get());
                redis.publish(store.eventChannel(), "j1 succeeded");

                await().atMost(Duration.ofSeconds(5)).until(ended::get);
                assertEquals(1, missed.get(), "the connection was never lost");
            } finally {
                events.stop();
            }
        }
    }

    /**
     * Redis refuses writes, and PING, while it cannot save (a full disk): the subscription's ping failed, and its
     * connection went back to the pool still subscribed, where every read failed ("only (P|S)SUBSCRIBE ... allowed in
     * this context") and the API answered 500 until it was restarted. The connection is closed instead.
     */
    @Test
    void a_subscription_that_fails_leaves_no_subscribed_connection_in_the_pool(@TempDir Path root) throws Exception {
        Path dir = root.resolve("redis");
        EmbeddedRedis server = new EmbeddedRedis(dir, TestApp.CACHE);
        server.start();
        try (JedisPooled redis = RedisConnections.pooled(server.url(), 4, Duration.ofMillis(100), REPLY)) {
            JobEvents events = new JobEvents(redis, new JobStore(redis, "events:"), REPLY);
            AtomicInteger missed = misses(events);
            events.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> missed.get() == 1); // subscribed
                // A snapshot that cannot be written (its folder gone), where snapshots are due, makes Redis refuse
                // writes and PING (MISCONF), as an append-only file that cannot be written on a full disk does.
                redis.configSet("save", "3600 1");
                PathUtils.deleteDirectory(dir);
                redis.sendCommand(Protocol.Command.BGSAVE);
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.info("persistence")
                        .contains("rdb_last_bgsave_status:err"));

                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> missed.get() == 2); // the ping refused: the subscription ended
                for (int read = 0; read < 4; read++) { // before the listener subscribes again, a second later
                    assertFalse(redis.exists("job:none"), "a read on the pool's connections");
                }
            } finally {
                events.stop();
                redis.configSet("save", ""); // a shutdown that must save where it cannot is refused
                server.stop();
            }
        }
    }

    /** How many times {@code events} said it may have missed an event: once subscribed, and at each loss after. */
    private static AtomicInteger misses(JobEvents events) {
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
        return missed;
    }
}
