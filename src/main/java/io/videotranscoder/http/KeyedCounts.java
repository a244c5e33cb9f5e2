package io.videotranscoder.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many of a shared resource each API key holds in this process, {@code max} at most, so that no key takes every
 * other tenant's share. Callers without a key (no keys in use: one user) are not counted: they would share one key's
 * share of what is all theirs.
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
        if (keyId == null) {
            return true;
        }
        AtomicBoolean taken = new AtomicBoolean();
        held.compute(keyId, (key, count) -> {
            int now = count == null ? 0 : count;
            taken.set(now < max);
            return now < max ? now + 1 : now;
        });
        return taken.get();
    }

    void giveBack(String keyId) {
        if (keyId != null) {
            held.computeIfPresent(keyId, (key, count) -> count > 1 ? count - 1 : null);
        }
    }
}
