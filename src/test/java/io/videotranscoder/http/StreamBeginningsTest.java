package io.videotranscoder.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.events.EventFilter;
import io.videotranscoder.events.EventId;
import io.videotranscoder.events.EventLog;
import io.videotranscoder.events.EventPayloads;
import io.videotranscoder.events.EventSink;
import io.videotranscoder.events.LiveEvents;
import io.videotranscoder.events.Opening;
import io.videotranscoder.events.SentEvent;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobTransitions;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.webhook.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How a resumed job stream begins, against a real Redis: its job's end is never lost to the 204 of a caught-up one. */
class StreamBeginningsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    private static final Preset PRESET = new Preset("h264-720p", null, "mp4",
            new Preset.Video("libx264", "1000k", null, null, 1280, 720, true), null, null, null, null, null);
    private static final EventSink NOWHERE = new EventSink() {
        @Override
        public void send(SentEvent event) {
        }

        @Override
        public void moved(String id) {
        }

        @Override
        public void end() {
        }
    };

    private final String prefix = "beginnings:" + System.nanoTime() + ":";
    private final JobStore store = new JobStore(SERVER.client(), prefix);
    private final EventLog log = new EventLog(SERVER.client(), JobEventLog.key(prefix), Duration.ofHours(1));

    /** The live events, whose replay the job's end follows at once (as a worker may end it then). */
    private LiveEvents endingAfterTheReplay(String id) {
        return new LiveEvents(null, store, log, new EventPayloads(new Payloads("")), Duration.ofSeconds(15),
                Clock.systemUTC()) {
            @Override
            public Opening open(EventFilter filter, String lastEventId, EventSink sink) {
                Opening opening = super.open(filter, lastEventId, sink);
                assertEquals(Optional.empty(), new JobTransitions(store).cancelQueued(id, Instant.now()));
                return opening;
            }
        };
    }

    @Test
    void a_job_that_ends_right_after_the_replay_was_read_keeps_its_stream_open_for_its_last_event() throws Exception {
        String id = UUID.randomUUID().toString();
        store.create(Job.queued(id, "api", "default", "clip.mp4", PRESET, "input.mp4", 10, Instant.now()));
        String seen = EventId.at(log.head()).toString(); // the client has every event so far

        StreamBeginnings beginnings = new StreamBeginnings(endingAfterTheReplay(id), store, new ObjectMapper(),
                Clock.systemUTC());
        StreamBeginnings.Beginning beginning = beginnings.begin(EventFilter.job(id, "default"), seen, NOWHERE);

        assertNotNull(beginning, "a 204 here would stop the client's reconnecting before it heard of the end");
        assertFalse(beginning.over());
        beginning.opening().subscription().close();
    }

    @Test
    void a_job_that_had_ended_before_and_whose_events_the_client_has_is_a_204() throws Exception {
        String id = UUID.randomUUID().toString();
        store.create(Job.queued(id, "api", "default", "clip.mp4", PRESET, "input.mp4", 10, Instant.now()));
        new JobTransitions(store).cancelQueued(id, Instant.now());
        String seen = EventId.at(log.head()).toString();

        LiveEvents live = new LiveEvents(null, store, log, new EventPayloads(new Payloads("")),
                Duration.ofSeconds(15), Clock.systemUTC());
        assertNull(new StreamBeginnings(live, store, new ObjectMapper(), Clock.systemUTC())
                .begin(EventFilter.job(id, "default"), seen, NOWHERE));
        assertEquals(0, live.count(), "nothing stays registered");
    }
}
