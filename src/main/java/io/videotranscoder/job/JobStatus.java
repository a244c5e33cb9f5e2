package io.videotranscoder.job;

import java.util.Locale;

/** Where a job stands. Succeeded, failed and cancelled are terminal: a terminal job never runs again. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static JobStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
