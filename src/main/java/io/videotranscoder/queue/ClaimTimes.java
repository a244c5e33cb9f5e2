package io.videotranscoder.queue;

/**
 * When a poller looks for entries whose lease expired, on the monotonic clock (a step of the system's clock neither
 * hurries nor holds up the claims): every claim interval; and, after an outage of its own, not until a lease after
 * Redis is back, as an outage longer than the lease left every entry idle, and the members that hold them renew
 * their leases once it is back.
 */
final class ClaimTimes {

    private final long intervalNanos;
    private final long leaseNanos;
    private long next = System.nanoTime();
    private long notBefore = System.nanoTime();
    private boolean outage;

    ClaimTimes(long intervalMillis, long leaseMillis) {
        this.intervalNanos = intervalMillis * 1_000_000;
        this.leaseNanos = leaseMillis * 1_000_000;
    }

    /** Whether it is time to look (and for the member to say it is alive). */
    boolean due() {
        return System.nanoTime() - next >= 0;
    }

    /** Whether others' expired entries may be taken now. */
    boolean mayClaim() {
        return System.nanoTime() - notBefore >= 0;
    }

    /** Nothing was taken: the next look is an interval away. */
    void looked() {
        next = System.nanoTime() + intervalNanos;
    }

    /** Redis failed this poller. */
    void outage() {
        outage = true;
    }

    /** Redis answers this poller (again). */
    void reached() {
        if (outage) {
            notBefore = System.nanoTime() + leaseNanos;
            outage = false;
        }
    }
}
