package io.videotranscoder.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.access.KeyStore;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of each key, ended soon after the key stops standing (revoked, expired): every
 * {@code recheck}, one pipelined read of the records of the keys with streams open in this process, whatever their
 * number, rather than a read per stream, or a notice of revocation that would miss a key's expiry and a record changed
 * by another tool. The client's EventSource reconnects, and its key or token is then refused.
 */
final class KeyedStreams {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedStreams.class);

    private final KeyStore keys;
    private final Clock clock;
    private final Duration recheck;
    private final Map<String, Set<EventResponse>> byKey = new ConcurrentHashMap<>();
    private long timer = -1;

    KeyedStreams(KeyStore keys, Clock clock, Duration recheck) {
        this.keys = keys;
        this.clock = clock;
        this.recheck = recheck;
    }

    void start(Vertx vertx) {
        timer = vertx.setPeriodic(recheck.toMillis(), t -> sweep(vertx));
    }

    void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** {@code stream} is held open for the key {@code keyId} (null: for no key, which nothing ends). */
    void add(String keyId, EventResponse stream) {
        if (keyId != null) {
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
        if (byKey.isEmpty()) {
            return;
        }
        Set<String> ids = Set.copyOf(byKey.keySet());
        vertx.executeBlocking(() -> keys.standing(ids, clock.instant()), false).onSuccess(checks -> checks.forEach(
                (id, check) -> {
                    Set<EventResponse> streams = check.passed() ? null : byKey.remove(id);
                    if (streams != null) {
                        streams.forEach(EventResponse::end);
                    }
                })).onFailure(e -> LOG.debug("Could not recheck the keys of open event streams: {}", e.toString()));
    }
}
