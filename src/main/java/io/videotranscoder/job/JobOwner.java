package io.videotranscoder.job;

import io.videotranscoder.refusal.Refusal;

/**
 * Who a new job belongs to: its tenant, and the API key that submits it, whose queued and running jobs count against
 * its quota of {@code maxActiveJobs} (0: none). {@code keyId} null: no key (an inbox file, a request served without
 * keys), so no quota.
 */
public record JobOwner(String tenant, String keyId, int maxActiveJobs) {

    /** The exchange property holding the owner of the job a route is about to submit. */
    public static final String PROPERTY = "transcoderOwner";
    /** The tenant of requests served without a key, and of jobs stored before there were tenants. */
    public static final String DEFAULT_TENANT = "default";

    /** A job no key made. */
    public static JobOwner keyless(String tenant) {
        return new JobOwner(tenant, null, 0);
    }

    /** The refusal of a job over the key's quota. */
    Refusal overQuota() {
        return new Refusal(Refusal.Kind.QUOTA_EXCEEDED, "This key has as many jobs queued or running as it may ("
                + maxActiveJobs + ", TRANSCODER_MAX_ACTIVE_JOBS_PER_KEY); submit again once one has ended.", null);
    }
}
