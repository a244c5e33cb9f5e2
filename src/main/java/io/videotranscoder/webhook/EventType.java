package io.videotranscoder.webhook;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The events a webhook can be sent, by the name receivers see in {@code type}. */
public enum EventType {
    QUEUED("job.queued"),
    STARTED("job.started"),
    SUCCEEDED("job.succeeded"),
    FAILED("job.failed"),
    CANCELLED("job.cancelled"),
    /** Sent only to endpoints that ask for it, and at most every few seconds per job. */
    PROGRESS("job.progress");

    private final String type;

    EventType(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static Optional<EventType> of(String type) {
        return Arrays.stream(values()).filter(e -> e.type.equals(type)).findFirst();
    }

    /** What an endpoint gets when it names no events, and all a job's own callback gets: every change of status. */
    public static Set<EventType> lifecycle() {
        return EnumSet.complementOf(EnumSet.of(PROGRESS));
    }
}
