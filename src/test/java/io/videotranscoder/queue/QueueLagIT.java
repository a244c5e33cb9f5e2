package io.videotranscoder.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.videotranscoder.metrics.RedisReadings;
import io.videotranscoder.metrics.TranscoderMetrics;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Which queue count an autoscaler can trust, on the embedded Redis 7.0: the workers' group's lag (XINFO GROUPS), as
 * KEDA's redis-streams scaler reads it in lag mode, through everything the service does to the stream.
 */
class QueueLagIT {

    private static final long LEASE = 60_000;
    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private String stream;
    private StreamGroup group;
    private GroupBacklog backlog;
    private MeterRegistry meters;
    private RedisReadings readings;

    @BeforeEach
    void newStream() {
        stream = "lag:" + System.nanoTime();
        group = new StreamGroup(SERVER.client(), stream, "workers");
        backlog = new GroupBacklog(SERVER.client(), stream, "workers");
        meters = new SimpleMeterRegistry();
        readings = new RedisReadings(Duration.ofMinutes(1)); // read by each assertion, not on a timer
        TranscoderMetrics.bindQueue(meters, readings, SERVER.client(), stream, "workers", "transcoder.queue", "Jobs");
    }

    @Test
    void lag_stays_exact_through_everything_the_service_does_to_the_queue() {
        group.create(); // housekeeping, before any worker
        assertQueue(0, 0);
        for (String job : List.of("j1", "j2", "j3", "j4", "j5")) {
            submit(job);
        }
        assertQueue(5, 0);

        StreamEntry j1 = group.next("a", 100).get(0);
        StreamEntry j2 = group.next("b", 100).get(0);
        assertQueue(3, 2);
        group.ack("b", j2.getID()); // finished before the job delivered earlier
        assertQueue(3, 1);
        group.deadLetter("a", j1.getID(), stream + ":dead", 10, Map.of("job", "j1"));
        assertQueue(3, 0);
        assertEquals(1, SERVER.client().xlen(stream + ":dead"));

        StreamEntry j3 = group.next("a", 100).get(0); // cancelled while queued: dropped when delivered
        assertEquals("j3", j3.getFields().get("job"));
        group.ack("a", j3.getID());
        assertQueue(2, 0);

        submit("j1"); // POST /jobs/j1/retry
        assertQueue(3, 0);

        StreamEntry j4 = group.next("b", 100).get(0); // b is SIGTERMed: hands j4 back at once
        group.release("b", j4.getID(), LEASE);
        assertEquals(j4.getID(), group.claimIdle("a", LEASE).getID());
        assertQueue(2, 1);

        // Housekeeping: only unacknowledged entries count as queued, then the acknowledged history goes.
        assertEquals(List.of("j5", "j1", "j4"), jobs(backlog.unacknowledged()));
        assertEquals(3, backlog.trimAcknowledged()); // j1 (dead-lettered), j2, j3
        assertEquals(3, SERVER.client().xlen(stream));
        assertQueue(2, 1);

        group.ack("a", j4.getID());
        backlog.trimAcknowledged();
        assertQueue(2, 0);
        for (StreamEntry rest = group.next("a", 100).get(0); rest != null; rest = next("a")) {
            group.ack("a", rest.getID());
        }
        assertQueue(0, 0);
        backlog.trimAcknowledged();
        assertEquals(0, SERVER.client().xlen(stream));
        assertQueue(0, 0);
        submit("j6");
        assertQueue(1, 0);
    }

    @Test
    void trimming_before_any_worker_read_keeps_every_entry() {
        submit("j1");
        assertEquals(0, backlog.trimAcknowledged()); // no group yet
        group.create();
        assertEquals(0, backlog.trimAcknowledged());
        assertEquals(1, SERVER.client().xlen(stream));
        assertQueue(1, 0);
        assertEquals(List.of("j1"), jobs(backlog.unacknowledged()));
    }

    /** Why entries are no longer deleted: the acknowledgement used to be XACK + XDEL. */
    @Test
    void redis_loses_the_lag_when_a_finished_entry_is_deleted_while_an_earlier_one_runs() {
        group.create();
        submit("j1");
        submit("j2");
        submit("j3");
        group.next("a", 100);
        StreamEntryID j2 = group.next("b", 100).get(0).getID();
        SERVER.client().xack(stream, "workers", j2);
        SERVER.client().xdel(stream, j2);
        assertNull(backlog.info().getGroupInfo().get("lag"), "j3 waits, but Redis cannot count it");
        assertEquals(Double.NaN, gauge("transcoder.queue.lag"), "unknown, not zero");
    }

    @Test
    void redis_loses_the_lag_when_an_entry_not_yet_delivered_is_deleted() {
        group.create();
        submit("j1");
        submit("j2");
        SERVER.client().xdel(stream, SERVER.client().xrange(stream, "-", "+").get(1).getID());
        group.next("a", 100);
        submit("j3");
        assertNull(backlog.info().getGroupInfo().get("lag"));
    }

    private void submit(String job) {
        SERVER.client().xadd(stream, XAddParams.xAddParams(), Map.of("job", job));
    }

    private StreamEntry next(String consumer) {
        List<StreamEntry> entries = group.next(consumer, 100);
        return entries.isEmpty() ? null : entries.get(0);
    }

    private static List<String> jobs(List<StreamEntry> entries) {
        return entries.stream().map(e -> e.getFields().get("job")).toList();
    }

    /** The lag Redis reports, the gauges exported, and what they must be. */
    private void assertQueue(long notDelivered, long delivered) {
        assertEquals(notDelivered, backlog.info().getGroupInfo().get("lag"), "XINFO GROUPS lag");
        readings.refresh();
        assertEquals(notDelivered, gauge("transcoder.queue.lag"));
        assertEquals(delivered, gauge("transcoder.queue.pending"));
        assertEquals(notDelivered + delivered, gauge("transcoder.queue.depth"));
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }
}
