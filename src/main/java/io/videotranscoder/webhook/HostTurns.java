package io.videotranscoder.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The attempts under way from this process to each receiving host: at most {@code perHost} at once to a host that was
 * slow lately (an attempt to it took {@code slowAfter} or longer within the last {@link #MEMORY}), or whose tenant's
 * receivers were (a tenant that names a new host for each job, a name under a wildcard, is slow all the same), and at
 * most as many to all such receivers together. An attempt to a host that never answers holds its sender for the
 * whole timeout: unbounded, one such host (one tenant's receiver that is down) took every sender, and every other
 * tenant's webhooks waited behind it; bounded per host alone, two such hosts took them all. A host that answers at
 * once is not bounded: the webhooks of several jobs at once to one receiver are not held back.
 */
final class HostTurns {

    /**
     * How long a host stays slow after its last slow attempt: past the first retries' waits (5 s, 5 min), so that a
     * receiver that is down does not take every sender again with each round of them.
     */
    static final Duration MEMORY = Duration.ofMinutes(10);
    /** Past this many hosts (or tenants) known, those with nothing under way and not slow any more are forgotten. */
    private static final int KEPT = 256;

    private record Host(int underWay, long slowAt) {
    }

    /** An attempt taken: its host, its tenant, and whether it counts among the attempts to slow receivers. */
    record Turn(String host, String tenant, boolean slow) {
    }

    private final int perHost;
    private final long slowAfterNanos;
    private final LongSupplier nanos;
    private final ConcurrentMap<String, Host> hosts = new ConcurrentHashMap<>();
    /** When each tenant's receivers were last slow. */
    private final ConcurrentMap<String, Long> tenantsSlowAt = new ConcurrentHashMap<>();
    /** Attempts under way to receivers that were slow when taken: at most {@code perHost} in all. */
    private final AtomicInteger slowUnderWay = new AtomicInteger();

    HostTurns(int perHost, Duration slowAfter, LongSupplier nanos) {
        this.perHost = perHost;
        this.slowAfterNanos = slowAfter.toNanos();
        this.nanos = nanos;
    }

    /**
     * The turns of a process whose senders make {@code concurrency} attempts at once, each within {@code timeout}:
     * half of them (one of one) to slow receivers, slow being a second or half the timeout, whichever is less.
     */
    static HostTurns forSenders(int concurrency, Duration timeout) {
        Duration slowAfter = Collections.min(List.of(timeout.dividedBy(2), Duration.ofSeconds(1)));
        return new HostTurns(Math.max(1, concurrency / 2), slowAfter, System::nanoTime);
    }

    int perHost() {
        return perHost;
    }

    /** @return the turn taken to {@code url} for {@code tenant}; null when it is slow and has its turns under way */
    Turn take(String url, String tenant) {
        String host = host(url);
        long now = nanos.getAsLong();
        boolean tenantSlow = recent(tenantsSlowAt.getOrDefault(tenant, Long.MIN_VALUE), now);
        Turn[] taken = {null};
        hosts.compute(host, (h, was) -> {
            Host state = was == null ? new Host(0, Long.MIN_VALUE) : was;
            boolean slow = tenantSlow || recent(state.slowAt(), now);
            if (slow && (state.underWay() >= perHost || !reserveSlow())) {
                return was;
            }
            taken[0] = new Turn(host, tenant, slow);
            return new Host(state.underWay() + 1, state.slowAt());
        });
        return taken[0];
    }

    /** One of the turns to slow receivers, if one is left. */
    private boolean reserveSlow() {
        int underWay;
        do {
            underWay = slowUnderWay.get();
            if (underWay >= perHost) {
                return false;
            }
        } while (!slowUnderWay.compareAndSet(underWay, underWay + 1));
        return true;
    }

    /** An attempt, taken by {@link #take}, has ended after {@code took}. */
    void give(Turn turn, Duration took) {
        long now = nanos.getAsLong();
        if (turn.slow()) {
            slowUnderWay.decrementAndGet();
        }
        boolean slow = took.toNanos() >= slowAfterNanos;
        if (slow) {
            tenantsSlowAt.put(turn.tenant(), now);
        }
        hosts.computeIfPresent(turn.host(), (h, state) -> {
            Host left = new Host(Math.max(0, state.underWay() - 1), slow ? now : state.slowAt());
            return idle(left, now) ? null : left;
        });
        if (hosts.size() > KEPT) {
            hosts.entrySet().removeIf(e -> idle(e.getValue(), now)); // each entry alone, atomically
        }
        if (tenantsSlowAt.size() > KEPT) {
            tenantsSlowAt.values().removeIf(at -> !recent(at, now));
        }
    }

    int known() {
        return hosts.size();
    }

    /** Whether {@code at} lies within {@link #MEMORY} before {@code now}. */
    private static boolean recent(long at, long now) {
        return at != Long.MIN_VALUE && now - at < MEMORY.toNanos();
    }

    /** Nothing under way, and not slow within {@link #MEMORY}: nothing to remember. */
    private static boolean idle(Host state, long now) {
        return state.underWay() == 0 && !recent(state.slowAt(), now);
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
