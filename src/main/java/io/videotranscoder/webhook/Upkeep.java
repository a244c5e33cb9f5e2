package io.videotranscoder.webhook;

import java.time.Clock;
import java.time.Duration;

import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.redis.Outage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The timed work of the deliveries: retries that fell due are queued (every second), and, now and then, what is
 * settled is cleared away: acknowledged history of the event log (past the event streams' replay window) and of the
 * send stream, dead letters past the retention. Any number of processes may do both at once: each step is one atomic script.
 */
public class Upkeep {

    private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);
    private static final int BATCH = 100;

    private final DeliveryStore store;
    private final GroupBacklog events;
    private final GroupBacklog sends;
    private final Duration retention;
    private final Duration eventReplay;
    private final Clock clock;
    private final Outage outage = new Outage(LOG, "the webhook schedule");

    /** @param eventReplay how long the event log keeps entries for streams to replay, delivered or not */
    public Upkeep(DeliveryStore store, GroupBacklog events, GroupBacklog sends, Duration retention,
            Duration eventReplay, Clock clock) {
        this.store = store;
        this.events = events;
        this.sends = sends;
        this.retention = retention;
        this.eventReplay = eventReplay;
        this.clock = clock;
    }

    /** Queues every delivery due by now; how many. Through an outage, it waits for Redis (the schedule is there). */
    public long queueDue() {
        long moved = 0;
        try {
            long batch;
            do {
                batch = store.moveDue(BATCH);
                moved += batch;
            } while (batch == BATCH);
            outage.reached();
        } catch (JedisException e) {
            outage.failed(e);
        }
        return moved;
    }

    public void tidy() {
        try {
            events.trimAcknowledged(eventReplay);
            sends.trimAcknowledged();
            store.forgetDeadBefore(clock.instant().minus(retention));
        } catch (JedisException e) {
            outage.failed(e);
        }
    }
}
