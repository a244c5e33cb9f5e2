package io.videotranscoder.inbox;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each claim's time has stood still, as this instance has seen it: its time is compared only with what it
 * was at this instance's earlier looks, never with this host's clock, since other hosts touch claims with their own
 * clocks (which may be minutes apart, or step). Timed on this instance's monotonic clock.
 */
final class ClaimLooks {

    /** Each claim's time when last seen to change, and when that was ({@link System#nanoTime}). */
    private final Map<Path, long[]> looks = new ConcurrentHashMap<>();

    /** For how long, in milliseconds, the claim's time has been {@code time} (0 when first seen so). */
    long unchangedMillis(Path claim, long time) {
        long now = System.nanoTime();
        long[] look = looks.compute(claim, (c, before) -> before != null && before[0] == time ? before
                : new long[] {time, now});
        return (now - look[1]) / 1_000_000;
    }

    /** Forgets the claims not among {@code present}: settled or restored. */
    void forgetAllBut(Set<Path> present) {
        looks.keySet().retainAll(present);
    }
}
