package io.videotranscoder.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.access.KeyCheck;
import io.videotranscoder.access.KeyStore;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of each key, ended soon after the key stops standing (revoked, expired): every
 * {@code recheck}, one pipelined read of the records of the keys with streams open in this process, whatever their
 * number, rather than a read per stream, or a notice of revocation that would miss a key's expiry and a record changed
 * by another tool. The client's EventSource reconnects, and its key or token is then refused. In protected mode, the
 * streams opened without a key (on a trusted address, as an admin) end likewise once a key exists.
 */
public final class KeyedStreams {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedStreams.class);

    private final KeyStore keys;
    private final Clock clock;
    private final Duration recheck;
    private final boolean keylessUntilKeys;
    private final int maxPerKey;
    private final Map<String, Set<EventResponse>> byKey = new ConcurrentHashMap<>();
    private final Set<EventResponse> keyless = ConcurrentHashMap.newKeySet();
    private long timer = -1;

    /**
     * @param keylessUntilKeys whether a stream opened without a key may stay open once keys exist (protected mode)
     * @param maxPerKey        the streams one key may hold open in this process, so that no key takes every slot
     */
    public KeyedStreams(KeyStore keys, Clock clock, Duration recheck, boolean keylessUntilKeys, int maxPerKey) {
        this.keys = keys;
        this.clock = clock;
        this.recheck = recheck;
        this.keylessUntilKeys = keylessUntilKeys;
        this.maxPerKey = maxPerKey;
    }

    int maxPerKey() {
        return maxPerKey;
    }

    /** Whether the key {@code keyId} (null: none) may open one more stream here. */
    boolean admits(String keyId) {
        Set<EventResponse> streams = keyId == null ? null : byKey.get(keyId);
        return streams == null || streams.stream().filter(s -> !s.finished()).count() < maxPerKey;
    }

    /** What a recheck found: each key's standing, and whether protected mode is over. */
    private record Verdicts(Map<String, KeyCheck> keys, boolean keysExist) {
    }

    void start(Vertx vertx) {
        timer = vertx.setPeriodic(recheck.toMillis(), t -> sweep(vertx));
    }

    void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** {@code stream} is held open for the key {@code keyId} (null: for no key). */
    void add(String keyId, EventResponse stream) {
        if (keyId == null) {
            if (keylessUntilKeys) {
                keyless.add(stream);
            }
        } else {
            byKey.compute(keyId, (id, streams) -> {
                Set<EventResponse> held = streams == null ? ConcurrentHashMap.newKeySet() : streams;
                held.add(stream);
                return held;
            });
        }
    }

    private void sweep(Vertx vertx) {
        for (String id : byKey.keySet()) {
            byKey.computeIfPresent(id, (k, streams) -> {
                streams.removeIf(EventResponse::finished);
                return streams.isEmpty() ? null : streams;
            });
        }
        keyless.removeIf(EventResponse::finished);
        if (byKey.isEmpty() && keyless.isEmpty()) {
            return;
        }
        Set<String> ids = Set.copyOf(byKey.keySet());
        boolean askKeyless = !keyless.isEmpty();
        vertx.executeBlocking(() -> new Verdicts(ids.isEmpty() ? Map.of() : keys.standing(ids, clock.instant()),
                askKeyless && keys.anyIssued()), false).onSuccess(this::end)
                .onFailure(e -> LOG.debug("Could not recheck the keys of open event streams: {}", e.toString()));
    }

    private void end(Verdicts verdicts) {
        verdicts.keys().forEach((id, check) -> {
            Set<EventResponse> streams = check.passed() ? null : byKey.remove(id);
            if (streams != null) {
                streams.forEach(EventResponse::end);
            }
        });
        if (verdicts.keysExist()) {
            keyless.removeIf(stream -> {
                stream.end();
                return true;
            });
        }
    }
}
