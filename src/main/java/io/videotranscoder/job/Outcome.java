package io.videotranscoder.job;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome an attempt stored on its job, for the steps that follow it (the inbox's delivery, the meters).
 *
 * @param failure     the failure's category, for a failed job; else null
 * @param bytesOut    the size of the published outputs, for a succeeded job; else 0
 * @param encodeSpeed media seconds encoded per wall second, for a succeeded job whose input's duration is known
 */
public record Outcome(String jobId, JobStatus status, String preset, double jobSeconds, String failure, long bytesOut,
        Double encodeSpeed) {

    /** The outcome {@code status} of {@code job}, reached at {@code now}: its seconds counted from its submission. */
    static Outcome of(Job job, JobStatus status, Instant now, String failure, long bytesOut, Double encodeSpeed) {
        return new Outcome(job.id(), status, job.preset().name(),
                Duration.between(job.createdAt(), now).toMillis() / 1000.0, failure, bytesOut, encodeSpeed);
    }
}
