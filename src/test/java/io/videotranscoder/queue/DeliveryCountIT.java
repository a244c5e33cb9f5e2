package io.videotranscoder.queue;

import java.nio.file.Path;
import java.util.Map;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job that brings its worker down every time must run out of deliveries, also where Redis goes down with the worker
 * (the embedded one, a child of the service) and comes back from its append-only file: Redis 7.0 counts a re-read of a
 * member's own pending entry (XREADGROUP from 0, how a restarted worker takes back what it held) in memory only.
 */
class DeliveryCountIT {

    @TempDir
    Path dir;

    @Test
    void a_worker_taking_back_its_own_entry_counts_the_delivery_across_a_restart_of_redis() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(dir, TestApp.CACHE);
        redis.start();
        int port = redis.port();
        StreamEntryID id;
        try (JedisPooled client = RedisConnections.pooled(redis.url(), 2)) {
            StreamGroup group = new StreamGroup(client, "jobs", "workers");
            group.create();
            client.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "a"));
            id = group.next("w1", 100).get(0).getID();
            // The worker comes back twice (same name) and takes the entry back each time.
            for (int delivery = 2; delivery <= 3; delivery++) {
                assertEquals(id, group.ownPending("w1", 1, new StreamEntryID()).get(0).getID());
                assertEquals(delivery, group.retakenCount("w1", id));
            }
        } finally {
            redis.stop();
        }

        EmbeddedRedis again = new EmbeddedRedis(dir, port, TestApp.CACHE);
        again.start();
        try (JedisPooled client = RedisConnections.pooled(again.url(), 2)) {
            assertEquals(3, new StreamGroup(client, "jobs", "workers").deliveryCount(id),
                    "the deliveries as counted before Redis stopped");
        } finally {
            again.stop();
        }
    }

    /**
     * A member's stop (SIGTERM: a rollout, a scale-down, a drained node) hands its entry back, and the member that
     * claims it counts no delivery more: a job handed back three times was given up on.
     */
    @Test
    void an_entry_handed_back_on_a_stop_and_claimed_by_another_member_counts_no_delivery_more() throws Exception {
        EmbeddedRedis redis = new EmbeddedRedis(dir, TestApp.CACHE);
        redis.start();
        try (JedisPooled client = RedisConnections.pooled(redis.url(), 2)) {
            StreamGroup group = new StreamGroup(client, "jobs", "workers");
            group.create();
            client.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "a"));
            StreamEntryID id = group.next("w1", 100).get(0).getID();
            String holder = "w1";

            for (String next : new String[] {"w2", "w3", "w4"}) {
                group.handBack(holder, id, 60_000);
                assertEquals(id, group.claimIdle(next, 60_000).getID());
                assertEquals(1, group.deliveryCount(id), "claimed by " + next);
                holder = next;
            }
        } finally {
            redis.stop();
        }
    }
}
