package io.videotranscoder.job;

import java.util.List;

/**
 * Where a running job stands for the worker running it, from one read of its hash: its status ({@code null} once the
 * job is gone) and whether a client asked to cancel it.
 */
public record JobStanding(JobStatus status, boolean cancelAsked) {

    /** From the hash's {@code status} and {@code cancelRequestedAt} fields, in that order (null where unset). */
    static JobStanding of(List<String> fields) {
        return new JobStanding(fields.get(0) == null ? null : JobStatus.of(fields.get(0)),
                fields.get(1) != null && !fields.get(1).isEmpty());
    }

    /** Whether its worker must stop it: it was cancelled, a cancel was asked, or the job is gone. */
    public boolean mustStop() {
        return status == null || status == JobStatus.CANCELLED || cancelAsked;
    }

    /** Whether the job is over (succeeded, failed or cancelled) or gone. */
    public boolean ended() {
        return status == null || status.terminal();
    }
}
