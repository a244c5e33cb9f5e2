package io.videotranscoder.events;

import io.videotranscoder.job.Tenancy;

/**
 * Which events a stream carries: those of one job ({@code job}), or of every job of one tenant ({@code job} null);
 * {@code tenant} null: of every tenant (an admin's).
 */
public record EventFilter(String job, String tenant) {

    public static EventFilter job(String job, String tenant) {
        return new EventFilter(job, tenant);
    }

    public static EventFilter tenant(String tenant) {
        return new EventFilter(null, tenant);
    }

    public boolean matches(String eventJob, String eventTenant) {
        return (job == null || job.equals(eventJob)) && (tenant == null || tenant.equals(eventTenant));
    }

    /** The jobs the stream may show, as the core reads them. */
    public Tenancy tenancy() {
        return tenant == null ? Tenancy.ANY : Tenancy.of(tenant);
    }

    /** Whether the stream is one job's, which ends with it. */
    public boolean oneJob() {
        return job != null;
    }
}
