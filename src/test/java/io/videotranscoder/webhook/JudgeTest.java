package io.videotranscoder.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a failed attempt comes to, against a real Redis. */
class JudgeTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    /**
     * A progress event tried again for days would reach a receiver back up after the job's end, and set its view
     * back: it is tried once. A status change is tried again on the schedule.
     */
    @Test
    void a_progress_event_is_tried_once_and_a_status_change_again_on_the_schedule() {
        String prefix = "judge:" + System.nanoTime() + ":";
        DeliveryStore store = new DeliveryStore(SERVER.client(), prefix);
        Judge judge = TestJudges.judge(store, new Endpoints(SERVER.client(), prefix));
        for (EventType type : new EventType[] {EventType.PROGRESS, EventType.SUCCEEDED}) {
            Delivery delivery = new Delivery(type.name(), "msg_" + type, "j1", "acme", type, Delivery.CALLBACK,
                    "https://hooks.example/h", "{}", Instant.now(), 0, Delivery.State.PENDING, null, null);
            store.create(delivery);
            String entry = SERVER.client().xrange(store.sendStream(), "-", "+").get(0).getID().toString();

            judge.judge(delivery, null, entry, Instant.now(), Duration.ofMillis(3), 503, null, Optional.empty());

            Delivery after = store.load(type.name()).orElseThrow();
            assertEquals(type == EventType.PROGRESS ? Delivery.State.ABANDONED : Delivery.State.PENDING,
                    after.state(), type.toString());
            assertEquals(1, after.attempts());
            SERVER.client().del(store.sendStream()); // the next delivery's entry is the only one
        }
    }

    /**
     * All of this service's lookup threads busy (a burst of names that never answer, perhaps one tenant's): the
     * receiver was never tried, and the delivery keeps its attempts, due again in a while.
     */
    @Test
    void a_delivery_this_service_could_not_attempt_keeps_its_attempts() throws Exception {
        String prefix = "judge:" + System.nanoTime() + ":";
        DeliveryStore store = new DeliveryStore(SERVER.client(), prefix);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Judge judge = TestJudges.judge(store, new Endpoints(SERVER.client(), prefix), registry);
        Delivery delivery = new Delivery("d1", "msg_1", "j1", "acme", EventType.SUCCEEDED, Delivery.CALLBACK,
                "https://hooks.example/h", "{}", Instant.now(), 0, Delivery.State.PENDING, null, null);
        store.create(delivery);
        String entry = SERVER.client().xrange(store.sendStream(), "-", "+").get(0).getID().toString();
        Exception failure = new IOException("connect", new TimedLookups.Busy("hooks.example"));

        String why = Sender.lookupsBusy(failure).orElseThrow().getMessage();

        judge.notMade(delivery, entry, WebhookMeters.Deferral.LOOKUPS_BUSY, Sender.LOOKUPS_BUSY_WAIT, why);

        Delivery after = store.load("d1").orElseThrow();
        assertEquals(Delivery.State.PENDING, after.state());
        assertEquals(0, after.attempts());
        assertEquals(0, store.moveDue(10), "due in 30 s, not now");
        assertEquals(1.0, registry.get("transcoder.webhook.attempts.deferred").tag("reason", "lookups-busy").counter()
                .count(), "put off, and seen so");
        assertTrue(Sender.lookupsBusy(new TimedLookups.NotNow("hooks.example: no answer")).isEmpty(),
                "a name that does not answer is the receiver's: an attempt");

        // A progress event is dropped: made later, it could arrive after the job's end.
        Delivery progress = new Delivery("d2", "msg_2", "j1", "acme", EventType.PROGRESS, Delivery.CALLBACK,
                "https://hooks.example/h", "{}", Instant.now(), 0, Delivery.State.PENDING, null, null);
        SERVER.client().del(store.sendStream());
        store.create(progress);
        judge.notMade(progress, SERVER.client().xrange(store.sendStream(), "-", "+").get(0).getID().toString(),
                WebhookMeters.Deferral.LOOKUPS_BUSY, Sender.LOOKUPS_BUSY_WAIT, why);
        assertEquals(Delivery.State.ABANDONED, store.load("d2").orElseThrow().state());
    }
}
