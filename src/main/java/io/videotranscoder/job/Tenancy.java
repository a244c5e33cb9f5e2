package io.videotranscoder.job;

import java.util.Objects;

/**
 * Which jobs a request may see: those of one tenant, or every tenant's ({@link #ANY}, for admins). A job of another
 * tenant is answered as no job at all, so that ids cannot be probed.
 */
public record Tenancy(String tenant) {

    /** The exchange property holding a request's tenancy, for the core's beans that read the exchange. */
    public static final String PROPERTY = "transcoderTenancy";
    public static final Tenancy ANY = new Tenancy(null);

    public static Tenancy of(String tenant) {
        return new Tenancy(Objects.requireNonNull(tenant));
    }

    public boolean sees(Job job) {
        return tenant == null || tenant.equals(job.tenant());
    }
}
