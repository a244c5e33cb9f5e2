package io.videotranscoder.http;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.events.EventFilter;
import io.videotranscoder.events.EventPayloads;
import io.videotranscoder.events.EventSink;
import io.videotranscoder.events.LiveEvents;
import io.videotranscoder.events.Opening;
import io.videotranscoder.events.SentEvent;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.refusal.Refusal;

/**
 * How a stream begins, read on a worker thread once it is registered: a job's stream with the whole job
 * ({@code job.state}, read after the stream's position, so that no change falls between), {@code GET /events} with its
 * position as a bare id, or with a {@code reset} when the client's id cannot be replayed; a resumed stream with its
 * replay alone.
 */
final class StreamBeginnings {

    private final LiveEvents live;
    private final JobStore jobs;
    private final ObjectMapper json;
    private final Clock clock;

    StreamBeginnings(LiveEvents live, JobStore jobs, ObjectMapper json, Clock clock) {
        this.live = live;
        this.jobs = jobs;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param first what is sent before the replay: frames, or nothing
     * @param over  whether the stream ends after {@code first}: the job had ended before it opened
     */
    record Beginning(Opening opening, String first, boolean over) {
    }

    /**
     * Registers the stream, then reads what it begins with. Null when the job has ended and the client already has
     * every event of it (a 204, which stops a browser's reconnecting).
     *
     * @throws Refusal when the job is not one the caller may see
     */
    Beginning begin(EventFilter filter, String lastEventId, EventSink sink) throws JsonProcessingException {
        // Read before the replay: a job that had ended by then has its last event in the replay, unless the client
        // has it already. Read after it, a job ending in between read as ended while its last event was in neither.
        // Another tenant's job is none, as everywhere.
        boolean endedBefore = filter.oneJob() && jobs.existing(filter.job(), filter.tenancy()).status().terminal();
        Opening opening = live.open(filter, lastEventId, sink);
        try {
            if (!filter.oneJob()) {
                return new Beginning(opening, switch (opening.start()) {
                    case FRESH -> EventFrames.id(opening.from().toString());
                    case RESET -> EventFrames.event(new SentEvent(opening.from().toString(), "reset", reset()));
                    case REPLAY -> "";
                }, false);
            }
            if (opening.start() == Opening.Start.REPLAY) {
                if (endedBefore && opening.missed().isEmpty()) {
                    opening.subscription().close();
                    return null;
                }
                return new Beginning(opening, "", false);
            }
            Job job = jobs.existing(filter.job(), filter.tenancy()); // after the stream's position: no change between
            return new Beginning(opening, EventFrames.event(new SentEvent(opening.from().toString(), "job.state",
                    state(job))), job.status().terminal());
        } catch (RuntimeException | JsonProcessingException e) {
            opening.subscription().close();
            throw e;
        }
    }

    private String state(Job job) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "job.state");
        body.put("timestamp", now());
        body.put("data", JobViews.view(job));
        return json.writeValueAsString(body);
    }

    private String reset() {
        return EventPayloads.envelope("reset", now(), Map.of("reason", "The events after the Last-Event-ID given are "
                + "no longer kept, or too many to replay (or it is no id of this service's): GET /jobs for where jobs"
                + " stand; the stream goes on from here."));
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
