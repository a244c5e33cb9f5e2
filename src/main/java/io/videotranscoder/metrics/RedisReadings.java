package io.videotranscoder.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What the gauges show of Redis, read on a thread of their own every period: a scrape reads the last reading and never
 * waits on Redis. The scrape runs on the management server's event loop, where the health checks wait behind it: a
 * Redis that stopped answering held each gauge for the client's timeout and a scrape for most of a minute, and the
 * liveness probe behind it failed until Kubernetes restarted every pod, encodes and all. A reading that failed, or
 * one older than three periods (Redis holding the reads), is unknown: the gauge shows NaN, as a failed read did.
 */
public final class RedisReadings {

    private final List<Reading<?>> readings = new CopyOnWriteArrayList<>();
    private final long staleNanos;

    /** @param period how often {@link #refresh} runs */
    public RedisReadings(Duration period) {
        this.staleNanos = 3 * period.toNanos();
    }

    /** The last reading of {@code read}, read at each {@link #refresh}: null while there is none, or it failed. */
    public <T> Supplier<T> of(Supplier<T> read) {
        Reading<T> reading = new Reading<>(read);
        readings.add(reading);
        return reading::last;
    }

    /** Reads every value once, one after another. */
    public void refresh() {
        readings.forEach(Reading::read);
    }

    private final class Reading<T> {

        private final Supplier<T> source;
        private volatile T value;
        private volatile long readAt;
        private volatile boolean done;

        Reading(Supplier<T> source) {
            this.source = source;
        }

        void read() {
            T now;
            try {
                now = source.get();
            } catch (RuntimeException redisDown) {
                now = null; // no group yet, or Redis unreachable: unknown, not zero
            }
            value = now;
            readAt = System.nanoTime();
            done = true;
        }

        T last() {
            return done && System.nanoTime() - readAt <= staleNanos ? value : null;
        }
    }
}
