package io.videotranscoder.redis;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A write that must not be lost to a moment of Redis's (a failover, a restart, a timeout): tried again while Redis
 * fails in a way that passes ({@link RedisFailures#passing}), after waits that double from half a second, until
 * {@code patience} has passed since the first try (the tries' own time counted); then its failure is thrown. Only for
 * writes that are safe to repeat (a status change whose script checks what it changes).
 */
public final class PassingFailures {

    private static final Duration FIRST_WAIT = Duration.ofMillis(500);

    private PassingFailures() {
    }

    public static <T> T retried(Supplier<T> write, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (long wait = FIRST_WAIT.toMillis(); ; wait *= 2) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (!RedisFailures.passing(e) || left <= 0) {
                    throw e;
                }
                wait = Math.min(wait, left);
            }
            try {
                Thread.sleep(wait); // a worker's own thread, in the middle of its job: nothing else waits on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while Redis was away", e);
            }
        }
    }
}
