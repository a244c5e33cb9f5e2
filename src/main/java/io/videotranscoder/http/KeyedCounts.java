package io.videotranscoder.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many of a shared resource each API key holds in this process, {@code max} at most, so that no key takes every
 * other tenant's share. Callers without a key count as one key.
 */
final class KeyedCounts {

    private final int max;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    KeyedCounts(int max) {
        this.max = max;
    }

    int max() {
        return max;
    }

    /** @param keyId the caller's key; null without one. @return whether one more was taken: give it back once done */
    boolean take(String keyId) {
        AtomicBoolean taken = new AtomicBoolean();
        held.compute(name(keyId), (key, count) -> {
            int now = count == null ? 0 : count;
            taken.set(now < max);
            return now < max ? now + 1 : now;
        });
        return taken.get();
    }

    void giveBack(String keyId) {
        held.computeIfPresent(name(keyId), (key, count) -> count > 1 ? count - 1 : null);
    }

    private static String name(String keyId) {
        return keyId == null ? "" : keyId;
    }
}
