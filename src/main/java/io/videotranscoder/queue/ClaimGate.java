package io.videotranscoder.queue;

/**
 * Whether consumers may take other members' expired entries: not while Redis fails one of them (a poll or a lease's
 * renewal), nor until a lease after it answers again, on the monotonic clock. An outage longer than the lease left
 * every entry idle past it, and the members that hold them renew their leases once Redis is back. One gate for all the
 * consumers of one Redis (the component's): a poller that was busy through the outage, or that waited for a slot it
 * shares with a busy one, waits as the others do.
 */
final class ClaimGate {

    private boolean outage;
    /** When Redis answered again after the last outage; long before now at first. */
    private long back = System.nanoTime() - Long.MAX_VALUE / 2;

    /** Redis failed a poll or a renewal. */
    synchronized void outage() {
        outage = true;
    }

    /** Redis answered a poll or a renewal. */
    synchronized void reached() {
        if (outage) {
            back = System.nanoTime();
            outage = false;
        }
    }

    /** Whether a consumer whose lease is {@code leaseMillis} may claim now. */
    synchronized boolean open(long leaseMillis) {
        return !outage && System.nanoTime() - back >= leaseMillis * 1_000_000;
    }
}
