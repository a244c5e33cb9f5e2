package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each send entry's attempt is recorded once, and no earlier entry's after a later one's, against a real Redis. */
class DeliveryStoreTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private DeliveryStore store;
    private Delivery delivery;

    @BeforeEach
    void created() {
        store = new DeliveryStore(SERVER.client(), "deliveries:" + System.nanoTime() + ":");
        delivery = new Delivery("d1", "msg_1", "j1", "acme", EventType.SUCCEEDED, Delivery.CALLBACK,
                "https://hooks.example/h", "{}", Instant.now(), 0, Delivery.State.PENDING, null, null);
        assertTrue(store.create(delivery));
    }

    /**
     * Attempt 1 fails from entry E1, whose member dies before acknowledging it; attempt 2 fails from E2, queued after
     * the backoff; then another member takes E1 over. It is sent no third time, off the schedule.
     */
    @Test
    void an_entry_taken_over_after_a_later_attempt_is_recorded_is_not_sent_again() {
        String first = entries().get(0);
        assertTrue(settle(first, 1));
        assertFalse(DeliveryStore.staleEntry(delivery, first), "nothing recorded when it was read");
        assertEquals(1, store.moveDue(10));
        String second = entries().get(1);
        assertTrue(settle(second, 2));

        Delivery now = store.load("d1").orElseThrow();
        assertTrue(DeliveryStore.staleEntry(now, first));
        assertTrue(DeliveryStore.staleEntry(now, second), "redelivered");
        assertFalse(settle(first, 3), "not recorded either");
        assertEquals(2, store.load("d1").orElseThrow().attempts());
        assertFalse(DeliveryStore.staleEntry(now, new StreamEntryID(Long.MAX_VALUE, 0).toString()), "a later one");
    }

    /**
     * A retry is due its wait on from its settling, on Redis's clock: neither a sender whose clock is an hour ahead nor
     * a process moving due deliveries whose clock is makes it due sooner.
     */
    @Test
    void a_retry_is_due_its_wait_on_by_redis_clock_whatever_the_senders_clock() {
        Instant anHourAhead = Instant.now().plus(Duration.ofHours(1));
        assertTrue(store.settle(delivery, entries().get(0), new Attempt(1, anHourAhead, 500, null, 3, "retry"),
                DeliveryOutcome.RETRY, Duration.ofSeconds(60), anHourAhead, Duration.ofDays(1)));

        assertEquals(0, store.moveDue(10), "not due yet");
        Instant due = store.load("d1").orElseThrow().nextAt();
        assertTrue(Math.abs(Duration.between(Instant.now().plusSeconds(60), due).toSeconds()) < 5, due.toString());
    }

    private boolean settle(String entry, int attempt) {
        Instant now = Instant.now();
        return store.settle(delivery, entry, new Attempt(attempt, now, 500, null, 3, "retry"), DeliveryOutcome.RETRY,
                Duration.ZERO, now, Duration.ofDays(1));
    }

    private List<String> entries() {
        return SERVER.client().xrange(store.sendStream(), "-", "+").stream().map(StreamEntry::getID)
                .map(StreamEntryID::toString).toList();
    }
}
