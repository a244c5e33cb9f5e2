package io.videotranscoder.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        Judge judge = new Judge(store, new Endpoints(SERVER.client(), prefix), new RetrySchedule(1, () -> 0.5),
                new WebhookMeters(new SimpleMeterRegistry(), "test", store), Duration.ofDays(1), Clock.systemUTC());
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
}
