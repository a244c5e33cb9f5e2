package io.videotranscoder.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.job.JobEventLog;

/**
 * One entry of the job's event log, as the webhooks read it.
 *
 * @param outputs the job's outputs as stored (JSON), once it succeeded
 */
public record JobEvent(EventType type, String job, String status, Instant at, String tenant, String callbackUrl,
        String error, String outputs, int progress) {

    public static final String DEFAULT_TENANT = "default";

    /** The event an entry records; empty for a type no webhook is sent (none today: the log may grow). */
    public static Optional<JobEvent> from(Map<String, String> entry) {
        return EventType.of(entry.get(JobEventLog.TYPE)).map(type -> new JobEvent(type, entry.get(JobEventLog.JOB),
                entry.get(JobEventLog.STATUS), Instant.ofEpochMilli(Long.parseLong(entry.get(JobEventLog.AT))),
                text(entry.get(JobEventLog.TENANT)).orElse(DEFAULT_TENANT),
                text(entry.get(JobEventLog.CALLBACK_URL)).orElse(null), text(entry.get(JobEventLog.ERROR)).orElse(null),
                text(entry.get(JobEventLog.OUTPUTS)).orElse(null),
                Integer.parseInt(text(entry.get(JobEventLog.PROGRESS)).orElse("0"))));
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }
}
