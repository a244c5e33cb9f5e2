package io.videotranscoder.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The attempts under way from this process to each receiving host: at most {@code perHost} at once to a host that was
 * slow lately (an attempt to it took {@code slowAfter} or longer within the last {@link #MEMORY}). An attempt to a host
 * that never answers holds its sender for the whole timeout: unbounded, one such host (one tenant's receiver that is
 * down) took every sender, and every other tenant's webhooks waited behind it. A host that answers at once is not
 * bounded: the webhooks of several jobs at once to one receiver are not held back.
 */
final class HostTurns {

    /**
     * How long a host stays slow after its last slow attempt: past the first retries' waits (5 s, 5 min), so that a
     * receiver that is down does not take every sender again with each round of them.
     */
    static final Duration MEMORY = Duration.ofMinutes(10);
    /** Past this many hosts known, those with nothing under way and not slow any more are forgotten. */
    private static final int KEPT = 256;

    private record Host(int underWay, long slowAt) {
    }

    private final int perHost;
    private final long slowAfterNanos;
    private final LongSupplier nanos;
    private final ConcurrentMap<String, Host> hosts = new ConcurrentHashMap<>();

    HostTurns(int perHost, Duration slowAfter, LongSupplier nanos) {
        this.perHost = perHost;
        this.slowAfterNanos = slowAfter.toNanos();
        this.nanos = nanos;
    }

    /**
     * The turns of a process whose senders make {@code concurrency} attempts at once, each within {@code timeout}:
     * half of them (one of one) to a slow host, slow being a second or half the timeout, whichever is less.
     */
    static HostTurns forSenders(int concurrency, Duration timeout) {
        Duration slowAfter = Collections.min(List.of(timeout.dividedBy(2), Duration.ofSeconds(1)));
        return new HostTurns(Math.max(1, concurrency / 2), slowAfter, System::nanoTime);
    }

    int perHost() {
        return perHost;
    }

    /** @return the host of {@code url}, whose turn is now taken; null when it is slow and has its turns under way */
    String take(String url) {
        String host = host(url);
        boolean[] taken = {false};
        long now = nanos.getAsLong();
        hosts.compute(host, (h, was) -> {
            Host state = was == null ? new Host(0, Long.MIN_VALUE) : was;
            boolean slow = state.slowAt() != Long.MIN_VALUE && now - state.slowAt() < MEMORY.toNanos();
            if (slow && state.underWay() >= perHost) {
                return state;
            }
            taken[0] = true;
            return new Host(state.underWay() + 1, state.slowAt());
        });
        return taken[0] ? host : null;
    }

    /** An attempt to {@code host}, taken by {@link #take}, has ended after {@code took}. */
    void give(String host, Duration took) {
        long now = nanos.getAsLong();
        hosts.computeIfPresent(host, (h, state) -> {
            long slowAt = took.toNanos() >= slowAfterNanos ? now : state.slowAt();
            Host left = new Host(Math.max(0, state.underWay() - 1), slowAt);
            return idle(left, now) ? null : left;
        });
        if (hosts.size() > KEPT) {
            hosts.entrySet().removeIf(e -> idle(e.getValue(), now)); // each entry alone, atomically
        }
    }

    int known() {
        return hosts.size();
    }

    /** Nothing under way, and not slow within {@link #MEMORY}: nothing to remember. */
    private static boolean idle(Host state, long now) {
        return state.underWay() == 0 && (state.slowAt() == Long.MIN_VALUE || now - state.slowAt() >= MEMORY.toNanos());
    }

    /** The host a URL names, in lower case; the URL itself where it names none (it will fail to send). */
    static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
