package io.videotranscoder.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lease of the entry an exchange is processing (exchange property {@link RedisStreamConstants#LEASE}). Once
 * another member took the entry over, the lease is lost for good: the route should stop its work at once (the
 * listeners it registered are told) and the consumer stores, deletes and acknowledges nothing for it.
 */
public final class StreamLease {

    private final AtomicBoolean lost = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public boolean isLost() {
        return lost.get();
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
