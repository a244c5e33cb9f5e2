package io.videotranscoder.queue;

/**
 * Whether a consumer's pollers may take other members' expired entries: not while Redis fails this consumer (a poll or
 * a lease's renewal), nor until a lease after it answers again, on the monotonic clock. An outage longer than the lease
 * left every entry idle past it, and the members that hold them renew their leases once Redis is back; a poller that
 * was busy through the outage, its renewals failing, waits as an idle one does. Shared by the consumer's pollers and
 * its lease renewals.
 */
final class ClaimGate {

    private final long leaseNanos;
    private long openFrom = System.nanoTime();
    private boolean outage;

    ClaimGate(long leaseMillis) {
        this.leaseNanos = leaseMillis * 1_000_000;
    }

    /** Redis failed a poll or a renewal. */
    synchronized void outage() {
        outage = true;
    }

    /** Redis answered a poll or a renewal: after an outage, the gate opens a lease from now. */
    synchronized void reached() {
        if (outage) {
            openFrom = System.nanoTime() + leaseNanos;
            outage = false;
        }
    }

    synchronized boolean open() {
        return !outage && System.nanoTime() - openFrom >= 0;
    }
}
