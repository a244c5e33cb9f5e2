package io.videotranscoder.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The lease of the entry an exchange is processing (exchange property {@link RedisStreamConstants#LEASE}). Once
 * another member took the entry over, the lease is lost for good: the route should stop its work at once (the
 * listeners it registered are told) and the consumer stores, deletes and acknowledges nothing for it.
 */
public final class StreamLease {

    private final AtomicBoolean lost = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final BooleanSupplier owned;

    /** @param owned whether this member owns the entry now, asked of Redis */
    public StreamLease(BooleanSupplier owned) {
        this.owned = owned;
    }

    /** Whether the lease was found lost, at a renewal or a {@link #confirm}. */
    public boolean isLost() {
        return lost.get();
    }

    /**
     * Whether the lease is still held, asked of Redis now rather than known from the last renewal: before a decision
     * that only the entry's owner may take. A process frozen past the lease resumes its work and its renewals at the
     * same moment, and its work may come to that decision first. Loses the lease when another member owns the entry.
     */
    public boolean confirm() {
        if (!lost.get() && !owned.getAsBoolean()) {
            lose();
        }
        return !lost.get();
    }

    /** Runs {@code listener} when the lease is lost (at once, on this thread, if it already is). */
    public void onLost(Runnable listener) {
        listeners.add(listener);
        if (lost.get() && listeners.remove(listener)) {
            listener.run();
        }
    }

    /** @return true the first time only */
    boolean lose() {
        if (!lost.compareAndSet(false, true)) {
            return false;
        }
        for (Runnable listener : listeners) {
            if (listeners.remove(listener)) {
                listener.run();
            }
        }
        return true;
    }
}
