package io.videotranscoder.events;

import java.util.Map;

import io.videotranscoder.webhook.EventType;
import io.videotranscoder.webhook.JobEvent;
import redis.clients.jedis.StreamEntryID;

/**
 * An entry of the job event log as a stream reads it: its id, and the event, null for a type that streams do not
 * send (none today; the log may grow), whose entry still moves a stream's position.
 */
public record LoggedEvent(StreamEntryID id, JobEvent event) {

    public static LoggedEvent of(StreamEntryID id, Map<String, String> fields) {
        return new LoggedEvent(id, JobEvent.from(fields).orElse(null));
    }

    /** Whether {@code filter} takes it. */
    public boolean takenBy(EventFilter filter) {
        return event != null && filter.matches(event.job(), event.tenant());
    }

    /** Whether this ends its job: succeeded, failed or cancelled. */
    public boolean ends() {
        return event != null && (event.type() == EventType.SUCCEEDED || event.type() == EventType.FAILED
                                 || event.type() == EventType.CANCELLED);
    }
}
