package io.videotranscoder.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.videotranscoder.webhook.Payloads;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionTest {

    private final List<SentEvent> sent = new ArrayList<>();
    /** What the sink heard, in order: an event's id, or "moved:" and where the stream moved without one. */
    private final List<String> heard = new ArrayList<>();
    private final List<Subscription> closed = new ArrayList<>();
    private boolean ended;

    private Subscription subscription(EventFilter filter) {
        return new Subscription(filter, new EventSink() {
            @Override
            public void send(SentEvent event) {
                sent.add(event);
                heard.add(event.id());
            }

            @Override
            public void moved(String id) {
                heard.add("moved:" + id);
            }

            @Override
            public void end() {
                ended = true;
            }
        }, new EventPayloads(new Payloads("")), closed::add);
    }

    private static LoggedEvent logged(long ms, String type, String job, String status, String tenant, int progress) {
        return LoggedEvent.of(new StreamEntryID(ms, 0), Map.of("type", type, "job", job, "status", status,
                "at", Long.toString(ms), "tenant", tenant, "progress", Integer.toString(progress)));
    }

    private static LoggedEvent logged(long ms, String type, String job, String status) {
        return logged(ms, type, job, status, "default", 0);
    }

    private static LiveProgress reading(String job, int percent) {
        return new LiveProgress(job, "default", percent, 1.5, 30.0, 4L, Instant.parse("2026-12-01T10:00:00Z"));
    }

    private List<String> ids() {
        return sent.stream().map(SentEvent::id).toList();
    }

    @Test
    void each_entry_is_sent_once_whether_replayed_heard_before_the_start_or_after() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.logged(logged(20, "job.started", "a", "running")); // heard while the replay was read
        s.logged(logged(30, "job.succeeded", "a", "succeeded"));

        s.start(EventId.parse("5-0").orElseThrow(), List.of(logged(10, "job.queued", "a", "queued"),
                logged(20, "job.started", "a", "running")), new StreamEntryID(20, 0));
        s.logged(logged(30, "job.succeeded", "a", "succeeded"));
        s.logged(logged(40, "job.queued", "b", "queued"));

        assertEquals(List.of("10-0", "20-0", "30-0", "40-0"), ids());
        assertEquals(List.of("job.queued", "job.started", "job.succeeded", "job.queued"),
                sent.stream().map(SentEvent::type).toList());
        assertTrue(sent.get(2).data().startsWith("{\"type\":\"job.succeeded\",\"timestamp\":\"1970-01-01T00:00:00.030Z\","
                                                 + "\"data\":{\"id\":\"a\",\"status\":\"succeeded\""), sent.get(2).data());
    }

    @Test
    void readings_are_numbered_after_the_last_entry_and_sent_only_when_the_percent_moved() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.progressed(reading("a", 1)); // before the start: dropped, the next follows
        s.start(EventId.parse("10-0").orElseThrow(), List.of(), null);

        s.progressed(reading("a", 5));
        s.progressed(reading("a", 5));
        s.progressed(reading("a", 9));
        s.logged(logged(20, "job.progress", "a", "running", "default", 12));
        s.progressed(reading("a", 12));
        s.progressed(reading("a", 14));

        assertEquals(List.of("10-0~1", "10-0~2", "20-0", "20-0~1"), ids());
        assertEquals("{\"type\":\"job.progress\",\"timestamp\":\"2026-12-01T10:00:00Z\",\"data\":{\"id\":\"a\","
                     + "\"status\":\"running\",\"progress\":5,\"speed\":1.5,\"fps\":30.0,\"eta\":4}}",
                sent.get(0).data());
    }

    @Test
    void a_resumed_stream_goes_on_counting_readings_from_the_id_it_was_given() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.start(EventId.parse("10-0~3").orElseThrow(), List.of(), new StreamEntryID(10, 0));

        s.progressed(reading("a", 40));

        assertEquals(List.of("10-0~4"), ids());
    }

    @Test
    void a_stream_carries_only_its_tenants_events_or_its_jobs() {
        Subscription tenant = subscription(EventFilter.tenant("acme"));
        tenant.start(EventId.parse("1-0").orElseThrow(), List.of(), null);
        tenant.logged(logged(10, "job.queued", "a", "queued", "acme", 0));
        tenant.logged(logged(20, "job.queued", "b", "queued", "other", 0));
        tenant.progressed(new LiveProgress("b", "other", 50, null, null, null, Instant.EPOCH));
        tenant.logged(logged(30, "job.queued", "c", "queued", "acme", 0));

        assertEquals(List.of("10-0", "30-0"), ids());
    }

    @Test
    void a_jobs_stream_ends_with_the_job_and_sends_nothing_after() {
        Subscription s = subscription(EventFilter.job("a", null));
        s.start(EventId.parse("1-0").orElseThrow(), List.of(), null);
        s.logged(logged(10, "job.started", "a", "running"));
        s.logged(logged(15, "job.started", "b", "running"));
        s.logged(logged(20, "job.failed", "a", "failed"));
        s.logged(logged(30, "job.queued", "a", "queued"));
        s.progressed(reading("a", 50));

        assertEquals(List.of("10-0", "20-0"), ids());
        assertTrue(ended);
        assertEquals(List.of(s), closed);
    }

    /** A tenant's stream, open for days, keeps no percent of a job removed while it ran (no end event comes). */
    @Test
    void a_removed_job_is_forgotten_by_a_tenants_stream() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.start(EventId.parse("1-0").orElseThrow(), List.of(), null);
        s.progressed(reading("a", 5));

        s.removed("a");
        s.progressed(reading("a", 5));

        assertEquals(2, sent.size(), "its last percent was forgotten");
        assertFalse(ended);
    }

    @Test
    void a_removed_job_ends_its_stream_only() {
        Subscription one = subscription(EventFilter.job("a", null));
        one.start(EventId.parse("1-0").orElseThrow(), List.of(), null);

        one.removed("b");
        assertFalse(ended);
        one.removed("a");
        assertTrue(ended);
    }

    /**
     * Another tenant's entries move the stream on but never show in what it sends: its ids (and keep-alives) are its
     * own events' and quiet positions, so that no tenant learns when another's jobs moved.
     */
    @Test
    void the_sink_hears_only_its_own_events_and_quiet_positions_in_order_never_ahead_of_an_event() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.start(EventId.parse("5-0").orElseThrow(), List.of(logged(10, "job.queued", "a", "queued"),
                logged(15, "job.queued", "b", "queued", "other", 0)), new StreamEntryID(18, 0));
        s.logged(logged(20, "job.started", "a", "running"));
        s.logged(logged(25, "job.started", "b", "running", "other", 0));
        s.progressed(reading("a", 10));
        s.caughtUp(new StreamEntryID(29, 0));
        s.caughtUp(new StreamEntryID(19, 0)); // behind where it stands: nothing
        s.progressed(reading("a", 20));
        s.logged(logged(30, "job.succeeded", "a", "succeeded"));

        assertEquals(List.of("moved:5-0", "10-0", "20-0", "20-0~1", "moved:29-0", "29-0~1",
                "30-0"), heard);
    }

    @Test
    void entries_up_to_a_quiet_position_are_not_sent_again_and_those_after_it_are() {
        Subscription s = subscription(EventFilter.tenant("default"));
        s.start(EventId.parse("5-0").orElseThrow(), List.of(), null);
        s.logged(logged(10, "job.queued", "a", "queued"));
        s.caughtUp(new StreamEntryID(20, 0));

        s.logged(logged(10, "job.queued", "a", "queued")); // read again (a sweep after a lost message)
        s.logged(logged(21, "job.started", "a", "running"));

        assertEquals(List.of("10-0", "21-0"), ids());
    }
}
