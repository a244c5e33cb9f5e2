package io.videotranscoder.access;

import java.util.Set;

import io.videotranscoder.job.JobOwner;
import io.videotranscoder.job.Tenancy;
import org.apache.camel.Exchange;

/**
 * Whose a new job is and which jobs a caller sees, in the core's words: a job belongs to the tenant of the key that
 * submits it and counts against that key's quota; an inbox file's job belongs to the inbox's tenant. Admins see every
 * tenant's jobs, other keys their own tenant's.
 */
public class JobOwners {

    private final int maxActiveJobsPerKey;
    private final String inboxTenant;

    public JobOwners(int maxActiveJobsPerKey, String inboxTenant) {
        this.maxActiveJobsPerKey = maxActiveJobsPerKey;
        this.inboxTenant = inboxTenant;
    }

    public JobOwner of(Caller caller) {
        return caller.keyId() == null ? JobOwner.keyless(caller.tenant())
                : new JobOwner(caller.tenant(), caller.keyId(), maxActiveJobsPerKey);
    }

    /**
     * The owner of a job made from an upload a key of {@code tenant} ({@code keyId}; null: none) created: its tenant's,
     * counted against that key's quota, whoever sent the upload's last byte (an admin may finish any tenant's).
     */
    public JobOwner uploader(String tenant, String keyId) {
        return of(new Caller(keyId, tenant, Set.of()));
    }

    public static Tenancy tenancy(Caller caller) {
        return caller.admin() ? Tenancy.ANY : Tenancy.of(caller.tenant());
    }

    /** The inbox route's step: the job about to be submitted is the inbox tenant's. */
    public void inbox(Exchange exchange) {
        exchange.setProperty(JobOwner.PROPERTY, JobOwner.keyless(inboxTenant));
    }
}
