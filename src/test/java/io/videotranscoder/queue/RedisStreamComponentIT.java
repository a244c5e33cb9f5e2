package io.videotranscoder.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamGroupInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The redis-stream component against a real Redis server. */
class RedisStreamComponentIT extends CamelTestSupport {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(16);
    private String stream;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.addComponent("redis-stream", new RedisStreamComponent(SERVER.client()));
        return context;
    }

    @Override
    protected void doPostSetup() {
        stream = "test:" + System.nanoTime();
    }

    private record Delivery(String entryId, long count, boolean exhausted, String consumer, Map<?, ?> body) {
        static Delivery of(Exchange e) {
            return new Delivery(e.getIn().getHeader(RedisStreamConstants.ENTRY_ID, String.class),
                    e.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, Long.class),
                    e.getIn().getHeader(RedisStreamConstants.EXHAUSTED, Boolean.class),
                    e.getIn().getHeader(RedisStreamConstants.CONSUMER, String.class), e.getIn().getBody(Map.class));
        }
    }

    private List<Delivery> consume(String options, org.apache.camel.Processor work) throws Exception {
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-stream:" + stream + "?group=g&blockTimeout=200&claimInterval=100&" + options)
                        .process(e -> deliveries.add(Delivery.of(e)))
                        .process(work);
            }
        });
        return deliveries;
    }

    /** An entry delivered to {@code consumer} and never acknowledged: what a member that died leaves behind. */
    /** Every entry delivered and acknowledged: none waits (lag 0, exact) and none is pending. */
    private boolean allAcknowledged() {
        StreamGroupInfo group = new GroupBacklog(SERVER.client(), stream, "g").info();
        return group.getPending() == 0 && Long.valueOf(0).equals(group.getGroupInfo().get("lag"));
    }

    private void leftPendingBy(String consumer) {
        SERVER.client().xgroupCreate(stream, "g", new StreamEntryID(), true);
        template.sendBody("redis-stream:" + stream, Map.of("job", "j1"));
        SERVER.client().xreadGroup("g", consumer, XReadGroupParams.xReadGroupParams().count(1),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    }

    @Test
    void acknowledges_an_entry_once_the_route_completed_it_and_keeps_it_until_trimmed() throws Exception {
        List<Delivery> deliveries = consume("consumerName=c", e -> { });
        Exchange sent = template.request("redis-stream:" + stream, e -> e.getIn().setBody(Map.of("job", "j1")));

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 1);
        Delivery d = deliveries.get(0);
        assertEquals(sent.getMessage().getHeader(RedisStreamConstants.ENTRY_ID), d.entryId());
        assertEquals(Map.of("job", "j1"), d.body());
        assertEquals(1, d.count());
        await().atMost(Duration.ofSeconds(5)).until(this::allAcknowledged);
        assertEquals(1, SERVER.client().xlen(stream), "not deleted: the group's lag stays defined");
        assertEquals(1, new GroupBacklog(SERVER.client(), stream, "g").trimAcknowledged());
        assertEquals(0, SERVER.client().xlen(stream));
    }

    @Test
    void an_entry_whose_exchange_failed_stays_pending_and_is_redelivered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Delivery> deliveries = consume("consumerName=c&leaseTime=300", e -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
        });
        template.sendBody("redis-stream:" + stream, Map.of("job", "j1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 2);
        assertEquals(deliveries.get(0).entryId(), deliveries.get(1).entryId());
        assertEquals(2, deliveries.get(1).count());
        await().atMost(Duration.ofSeconds(5)).until(this::allAcknowledged);
    }

    @Test
    void a_restarted_member_replays_its_own_pending_entries_first() throws Exception {
        leftPendingBy("c1");
        // A long lease: the entry can only come back through the member's own replay.
        List<Delivery> deliveries = consume("consumerName=c1&leaseTime=600000", e -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 1);
        assertEquals(2, deliveries.get(0).count());
        await().atMost(Duration.ofSeconds(5)).until(this::allAcknowledged);
    }

    /**
     * The replay is one pass: an entry that fails again in it (asking for a later delivery, or not) waits for its
     * delay or lease like any other. The replay read the member's pending list from its start until it came back
     * empty, so such an entry ran again at once, again and again, using up its deliveries in seconds.
     */
    @Test
    void a_restarted_members_replay_runs_each_of_its_entries_once() throws Exception {
        leftPendingBy("c1");
        template.sendBody("redis-stream:" + stream, Map.of("job", "j2"));
        SERVER.client().xreadGroup("g", "c1", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        List<Delivery> deliveries = consume("consumerName=c1&leaseTime=600000", e -> {
            if ("j1".equals(e.getIn().getBody(Map.class).get("job"))) {
                e.getMessage().setHeader(RedisStreamConstants.RETRY_DELAY, 60_000L);
            }
            throw new IllegalStateException("not yet");
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() >= 2);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> deliveries.size() == 2);
        assertEquals(List.of("j1", "j2"), deliveries.stream().map(d -> d.body().get("job")).toList());
        assertEquals(2, SERVER.client().xpending(stream, "g").getTotal());
    }

    @Test
    void a_live_member_claims_what_a_dead_member_left_once_its_lease_expired() throws Exception {
        leftPendingBy("dead");
        long started = System.nanoTime();
        List<Delivery> deliveries = consume("consumerName=live&leaseTime=800", e -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 1);
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(700), "claimed before the lease expired");
        assertEquals("live", deliveries.get(0).consumer());
        assertEquals(2, deliveries.get(0).count());
        await().atMost(Duration.ofSeconds(5)).until(() -> SERVER.client().xpending(stream, "g").getTotal() == 0);
    }

    @Test
    void while_its_admission_says_no_a_member_takes_neither_new_nor_expired_entries_yet_stays_a_member()
            throws Exception {
        leftPendingBy("dead");
        AtomicReference<String> refusal = new AtomicReference<>("the disk is full");
        context.getRegistry().bind("room", (Admission) refusal::get);
        List<Delivery> deliveries = consume("consumerName=live&leaseTime=100&admission=#room", e -> { });
        template.sendBody("redis-stream:" + stream, Map.of("job", "j2"));

        // Many claim intervals and polls pass: the expired entry stays the dead member's, the new one undelivered.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(deliveries::isEmpty);
        assertEquals(1, SERVER.client().xpending(stream, "g").getTotal());
        assertTrue(new GroupMembers(SERVER.client(), stream, "g").seenWithin("live", 1000), "its heartbeat goes on");
        refusal.set(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 2);
        assertEquals(Set.of(Map.of("job", "j1"), Map.of("job", "j2")),
                deliveries.stream().map(Delivery::body).collect(Collectors.toSet()));
        await().atMost(Duration.ofSeconds(5)).until(this::allAcknowledged);
    }

    /**
     * A dead member's entry behind more than ten that live members hold: XAUTOCLAIM looks at ten pending entries a
     * call for one claimed, and the look began at the first every time, so the dead member's entry waited for the
     * live ones to end.
     */
    @Test
    void a_dead_members_entry_is_claimed_behind_a_dozen_entries_live_members_hold() throws Exception {
        SERVER.client().xgroupCreate(stream, "g", new StreamEntryID(), true);
        for (int i = 0; i < 13; i++) {
            template.sendBody("redis-stream:" + stream, Map.of("job", "j" + i));
        }
        var read = SERVER.client().xreadGroup("g", "busy", XReadGroupParams.xReadGroupParams().count(13),
                Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)).get(0).getValue();
        StreamEntryID last = read.get(12).getID();
        SERVER.client().xclaim(stream, "g", "dead", 0, XClaimParams.xClaimParams().idle(600_000), last);
        // The busy member's twelve are fresh (idle well within the lease); the dead member's was idle ten minutes.
        List<Delivery> deliveries = consume("consumerName=live&leaseTime=60000", e -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> !deliveries.isEmpty());
        assertEquals(last.toString(), deliveries.get(0).entryId());
        assertEquals(1, deliveries.size());
    }

    /** ...into a dead-letter stream that keeps its latest entries only (here one: an older dead letter goes). */
    @Test
    void past_the_delivery_limit_the_entry_is_flagged_then_dead_lettered() throws Exception {
        leftPendingBy("dead");
        SERVER.client().xadd(stream + ":dead", StreamEntryID.NEW_ENTRY, Map.of("job", "j0"));
        List<Delivery> deliveries = consume("consumerName=live&leaseTime=200&maxDeliveries=1&deadLetterMaxLength=1"
                + "&deadLetterStream=" + stream + ":dead", e -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 1);
        assertTrue(deliveries.get(0).exhausted());
        await().atMost(Duration.ofSeconds(5)).until(() -> SERVER.client().xrange(stream + ":dead", "-", "+").stream()
                .map(e -> e.getFields().get("job")).toList(), List.of("j1")::equals);
        assertTrue(allAcknowledged());
        Map<String, String> dead = SERVER.client().xrange(stream + ":dead", "-", "+").get(0).getFields();
        assertEquals("j1", dead.get("job"));
        assertEquals("2", dead.get("deliveries"));
        assertEquals(deliveries.get(0).entryId(), dead.get("deadLetteredFrom"));
    }

    @Test
    void a_long_running_entry_keeps_its_lease_and_is_never_taken_over() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        List<Delivery> slow = consume("consumerName=slow&leaseTime=600", e -> {
            working.countDown();
            assertTrue(finish.await(30, TimeUnit.SECONDS)); // the job runs until the test ends it
        });
        template.sendBody("redis-stream:" + stream, Map.of("job", "j1"));
        assertTrue(working.await(10, TimeUnit.SECONDS));

        List<Delivery> thief = consume("consumerName=thief&leaseTime=600", e -> { });
        // Five leases long, with a live thief polling for expired leases every 100 ms: it never gets the entry.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(thief::isEmpty);
        finish.countDown();

        await().atMost(Duration.ofSeconds(10)).until(this::allAcknowledged);
        assertEquals(1, slow.size());
        assertEquals(0, thief.size(), "a live member's entry was taken over");
    }

    @Test
    void a_member_whose_entry_was_taken_over_is_told_at_once_and_acknowledges_nothing() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch told = new CountDownLatch(1);
        List<Delivery> deliveries = consume("consumerName=paused&leaseTime=600", e -> {
            e.getProperty(RedisStreamConstants.LEASE, StreamLease.class).onLost(told::countDown);
            working.countDown();
            assertTrue(told.await(30, TimeUnit.SECONDS), "the route was not told that it lost the entry");
        });
        template.sendBody("redis-stream:" + stream, Map.of("job", "j1"));
        assertTrue(working.await(10, TimeUnit.SECONDS));
        StreamEntryID id = SERVER.client().xrange(stream, "-", "+").get(0).getID();

        // What another member's XAUTOCLAIM does while this one is paused past its lease.
        SERVER.client().xclaim(stream, "g", "other", 0, XClaimParams.xClaimParams(), id);

        assertTrue(told.await(10, TimeUnit.SECONDS));
        // "other" never renews: once its lease expires the entry comes back, which it could not had it been acknowledged.
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() == 2);
        assertEquals(3, deliveries.get(1).count());
        await().atMost(Duration.ofSeconds(5)).until(this::allAcknowledged);
    }

    @Test
    void a_member_that_lost_an_entry_can_neither_acknowledge_nor_dead_letter_it() {
        leftPendingBy("stale");
        StreamEntryID id = SERVER.client().xrange(stream, "-", "+").get(0).getID();
        SERVER.client().xclaim(stream, "g", "holder", 0, XClaimParams.xClaimParams(), id);
        StreamGroup group = new StreamGroup(SERVER.client(), stream, "g");

        assertFalse(group.ack("stale", id));
        assertFalse(group.deadLetter("stale", id, stream + ":dead", 10, Map.of("job", "j1")));
        assertFalse(group.renew("stale", id));

        assertEquals(1, SERVER.client().xlen(stream));
        assertFalse(SERVER.client().exists(stream + ":dead"));
        assertEquals(1, SERVER.client().xpending(stream, "g").getTotal());
        assertTrue(group.ack("holder", id));
        assertTrue(allAcknowledged());
    }

    @Test
    void members_gone_long_with_no_pending_entry_are_removed_and_the_others_kept() {
        leftPendingBy("dead-with-an-entry");
        SERVER.client().xgroupCreateConsumer(stream, "g", "gone");
        SERVER.client().xgroupCreateConsumer(stream, "g", "alive");
        GroupMembers group = new GroupMembers(SERVER.client(), stream, "g");
        group.heartbeat("alive");

        assertEquals(List.of("gone"), group.removeGone(60_000));
        assertEquals(List.of("alive", "dead-with-an-entry"), members());

        // Once "alive" has not said so for longer than the limit, it goes too; a member holding an entry never does.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> group.removeGone(200).contains("alive"));
        assertEquals(List.of("dead-with-an-entry"), members());
        assertEquals(1, SERVER.client().xpending(stream, "g").getTotal(), "no pending entry was dropped");
    }

    @Test
    void consumers_of_two_streams_sharing_one_permit_take_one_entry_at_a_time_in_all() throws Exception {
        context.getRegistry().bind("slots", new Semaphore(1, true));
        String other = stream + ":other";
        CountDownLatch release = new CountDownLatch(1);
        List<Delivery> first = consume("consumerName=c&slots=#slots", e -> release.await(30, TimeUnit.SECONDS));
        List<Delivery> second = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-stream:" + other + "?group=g&blockTimeout=200&claimInterval=100&consumerName=c&slots=#slots")
                        .process(e -> second.add(Delivery.of(e)));
            }
        });
        template.sendBody("redis-stream:" + stream, Map.of("job", "j1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 1);

        template.sendBody("redis-stream:" + other, Map.of("job", "p1"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(second::isEmpty);
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 1);
        assertEquals(Map.of("job", "p1"), second.get(0).body());
    }

    private List<String> members() {
        return SERVER.client().xinfoConsumers2(stream, "g").stream().map(StreamConsumerInfo::getName).sorted().toList();
    }
}
