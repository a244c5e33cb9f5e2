package io.videotranscoder.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import io.videotranscoder.process.StartRefusal;

/**
 * When a delivery is attempted again: the Standard Webhooks schedule (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 20 h and 24 h after each failure), each wait varied by up to a tenth either way so that the retries of
 * many deliveries that failed together do not come back together, and multiplied by a scale (below 1 in tests).
 */
public final class RetrySchedule {

    static final List<Duration> WAITS = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(14), Duration.ofHours(20), Duration.ofHours(24));
    private static final double JITTER = 0.1;

    private final double scale;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1), e.g. {@code ThreadLocalRandom.current()::nextDouble} */
    public RetrySchedule(double scale, DoubleSupplier random) {
        if (!(scale > 0)) {
            throw new StartRefusal("TRANSCODER_WEBHOOK_RETRY_SCALE must be above 0, not " + scale);
        }
        this.scale = scale;
        this.random = random;
    }

    /** How many attempts a delivery gets in all before it is dead-lettered. */
    public static int attempts() {
        return WAITS.size();
    }

    /**
     * The wait before the next attempt once {@code made} attempts failed; empty when that was the last. A receiver's
     * {@code Retry-After} lengthens it, never shortens it.
     */
    public Optional<Duration> after(int made, Optional<Duration> retryAfter) {
        if (made < 1 || made >= WAITS.size()) {
            return Optional.empty();
        }
        double factor = scale * (1 + JITTER * (2 * random.getAsDouble() - 1));
        Duration wait = Duration.ofMillis(Math.round(WAITS.get(made).toMillis() * factor));
        return Optional.of(retryAfter.filter(asked -> asked.compareTo(wait) > 0).orElse(wait));
    }
}
