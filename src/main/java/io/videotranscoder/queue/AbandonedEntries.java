package io.videotranscoder.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which delivered entries their members have abandoned, told from looks at how long each is idle: an entry is once it
 * was idle past the lease at a look a lease ago or more, and was not renewed since. One look is not enough: after an
 * outage (Redis paused, restarted from its files, or cut off from the workers) every entry looks idle until its member
 * renews it, which it does within a lease of Redis answering again (and members claim nothing meanwhile: ClaimGate).
 */
public final class AbandonedEntries {

    /** A look that found the entry idle past the lease: when, on this process's monotonic clock, and how idle. */
    private record Look(long atNanos, long idleMillis) {
    }

    private final long leaseMillis;
    private final LongSupplier nanos;
    /** Each entry found idle past the lease, at the first look that found it so since its last renewal. */
    private Map<String, Look> idle = new HashMap<>();

    public AbandonedEntries(Duration lease) {
        this(lease, System::nanoTime);
    }

    AbandonedEntries(Duration lease, LongSupplier nanos) {
        this.leaseMillis = lease.toMillis();
        this.nanos = nanos;
    }

    /**
     * Looks at every delivered entry of the groups.
     *
     * @return whether each entry ({@link GroupBacklog.Pending#id}) is abandoned
     */
    public synchronized Map<String, Boolean> look(List<GroupBacklog.Pending> delivered) {
        long now = nanos.getAsLong();
        Map<String, Look> next = new HashMap<>();
        Map<String, Boolean> abandoned = new HashMap<>();
        for (GroupBacklog.Pending entry : delivered) {
            Look first = idle.get(entry.id());
            long since = first == null ? 0 : (now - first.atNanos()) / 1_000_000;
            // Renewed since the first look: idle for less than it was then and the time since, by half a lease.
            if (first != null && entry.idleMillis() < first.idleMillis() + since - leaseMillis / 2) {
                first = null;
                since = 0;
            }
            if (first == null && entry.idleMillis() >= leaseMillis) {
                first = new Look(now, entry.idleMillis());
            }
            if (first != null) {
                next.put(entry.id(), first);
            }
            abandoned.put(entry.id(), first != null && since >= leaseMillis);
        }
        idle = next;
        return abandoned;
    }
}
