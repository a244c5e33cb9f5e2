package io.videotranscoder.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.support.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis gone while members work, restarted from its append-only file: a member takes back at once what it could not
 * settle, and none takes what another member holds before that one could renew it. Each test has its own Redis and
 * one Camel context with one route.
 */
class OutageReplayIT {

    /** The route's member, "other", of a lease of 1.5 s, looking for expired entries every 100 ms. */
    private static final String OTHER = "redis-stream:jobs?group=workers&consumerName=other&blockTimeout=200"
            + "&claimInterval=100&leaseTime=1500";

    @TempDir
    Path dir;
    private EmbeddedRedis redis;
    /** The same Redis, started again on its files. */
    private EmbeddedRedis again;
    private JedisPooled client;
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        redis = new EmbeddedRedis(dir, TestApp.CACHE);
        redis.start();
        again = new EmbeddedRedis(dir, redis.port(), TestApp.CACHE);
        client = RedisConnections.pooled(redis.url(), 8);
        context = new DefaultCamelContext();
        context.addComponent("redis-stream", new RedisStreamComponent(client));
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
        client.close();
        again.stop();
        redis.stop();
    }

    @Test
    void an_entry_left_unsettled_by_an_outage_is_taken_back_once_redis_is_back_not_after_the_lease() throws Exception {
        CountDownLatch redisStopped = new CountDownLatch(1);
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        // A lease of ten minutes: within the test, only the member's own replay brings the entry back.
        route("redis-stream:jobs?group=workers&consumerName=w1&blockTimeout=200&claimInterval=100&leaseTime=600000",
                e -> {
                    deliveries.add(e.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, Long.class));
                    if (deliveries.size() == 1) {
                        redis.stop(); // SIGTERM: Redis writes its append-only file out and exits
                        redisStopped.countDown();
                        throw new IllegalStateException("the work failed while Redis was away");
                    }
                });
        context.createProducerTemplate().sendBody("redis-stream:jobs", Map.of("job", "a"));

        assertTrue(redisStopped.await(10, TimeUnit.SECONDS), "the entry was delivered");
        again.start();

        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries.size() == 2);
        assertEquals(List.of(1L, 2L), deliveries);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.xpending("jobs", "workers").getTotal() == 0);
    }

    /**
     * An outage longer than the lease leaves every entry idle past it: once Redis is back, the members that hold them
     * renew their leases; a member that saw the outage too waits a lease before it takes others' entries. It took the
     * busy member's entry as soon as it was back, before the busy one's next renewal, and the job ran twice. The busy
     * member is the test's: it renews its entry once the other member is back.
     */
    @Test
    void after_an_outage_longer_than_the_lease_no_member_takes_a_busy_members_entry() throws Exception {
        List<String> taken = new CopyOnWriteArrayList<>();
        StreamEntryID entry = heldByBusy("a");
        route(OTHER, e -> taken.add(e.getIn().getBody(Map.class).toString()));
        String members = "jobs:members:workers";
        await().atMost(Duration.ofSeconds(10)).until(() -> client.hexists(members, "other"));

        outageLongerThanTheLease();
        client.hdel(members, "other");
        await().atMost(Duration.ofSeconds(15)).until(() -> client.hexists(members, "other")); // back, and polling
        renewedByBusy(entry, 16);

        assertTrue(taken.isEmpty(), "taken from the busy member: " + taken);
        assertEquals("busy", client.xpending("jobs", "workers", XPendingParams.xPendingParams().count(1)).get(0)
                .getConsumerName());
    }

    /**
     * As above, for a member that was busy through the outage (its renewals failing, its poller not): once its own
     * entry is done, it waits a lease too (it took the other member's entry at once); and once that member stops
     * renewing, it does take its entry (a gate shut by a failed renewal stayed shut when the job ended before the next
     * renewal got through). Where this test's own steps after the outage outlast the lease (a loaded machine), the
     * member may take the entry then, a lease after Redis is back, and not before.
     */
    @Test
    void a_member_busy_through_an_outage_does_not_take_a_busy_members_entry_after_it() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        List<String> taken = new CopyOnWriteArrayList<>();
        Map<String, Long> takenAt = new ConcurrentHashMap<>();
        StreamEntryID held = heldByBusy("held");
        StreamEntryID own = client.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("job", "own"));
        route(OTHER, e -> {
            String body = e.getIn().getBody(Map.class).toString();
            takenAt.putIfAbsent(body, System.nanoTime());
            taken.add(body);
            working.countDown();
            assertTrue(finish.await(60, TimeUnit.SECONDS));
        });
        assertTrue(working.await(10, TimeUnit.SECONDS), "the member works on its own entry");

        outageLongerThanTheLease();
        long back = System.nanoTime();
        finish.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.xpending("jobs", "workers",
                XPendingParams.xPendingParams().count(10)).stream().noneMatch(p -> p.getID().equals(own)));
        boolean renewedInTime = System.nanoTime() - back < Duration.ofMillis(1000).toNanos();
        renewedByBusy(held, 12);

        Long heldTaken = takenAt.get("{job=held}");
        if (renewedInTime) {
            assertEquals(List.of("{job=own}"), taken, "the busy member's entry was left to it");
        } else if (heldTaken != null) {
            assertTrue(heldTaken - back >= Duration.ofMillis(1200).toNanos(), "taken "
                    + Duration.ofNanos(heldTaken - back).toMillis() + " ms after Redis was back: within the lease");
            return;
        }
        // The busy member stops renewing (it died): its entry is taken once its lease has passed.
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.size() == 2);
        assertEquals(List.of("{job=own}", "{job=held}"), taken);
    }

    /** The test's one route, from {@code uri} to {@code work}, started. */
    private void route(String uri, Processor work) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(work);
            }
        });
        context.start();
    }

    /** An entry of {@code job} that the test's busy member ("busy") holds, in the group the route's member joins. */
    private StreamEntryID heldByBusy(String job) {
        client.xgroupCreate("jobs", "workers", StreamEntryID.XGROUP_LAST_ENTRY, true);
        StreamEntryID entry = client.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("job", job));
        client.xreadGroup("workers", "busy", XReadGroupParams.xReadGroupParams().count(1),
                Map.of("jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return entry;
    }

    /** Redis stopped for longer than the route's lease, then started again from its files; back once it answers. */
    private void outageLongerThanTheLease() throws Exception {
        redis.stop();
        await().pollDelay(Duration.ofMillis(2500)).until(() -> true);
        again.start();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> client.ping().equals("PONG"));
    }

    /** The busy member renews its entry every quarter second, {@code times} times: longer than the route's lease. */
    private void renewedByBusy(StreamEntryID entry, int times) {
        for (int i = 0; i < times; i++) {
            client.xclaimJustId("jobs", "workers", "busy", 0, XClaimParams.xClaimParams(), entry);
            await().pollDelay(Duration.ofMillis(250)).until(() -> true);
        }
    }
}
