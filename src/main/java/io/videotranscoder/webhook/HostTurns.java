package io.videotranscoder.webhook;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The attempts under way from this process to each receiving host, at most {@code perHost} at once. An attempt to a
 * host that never answers holds its sender for the whole timeout: unbounded, one such host (one tenant's receiver
 * that is down) took every sender, and every other tenant's webhooks waited behind it.
 */
final class HostTurns {

    private final int perHost;
    private final ConcurrentMap<String, Integer> underWay = new ConcurrentHashMap<>();

    HostTurns(int perHost) {
        this.perHost = perHost;
    }

    /** The turns of a process whose senders make {@code concurrency} attempts at once: half of them to one host. */
    static HostTurns forSenders(int concurrency) {
        return new HostTurns(Math.max(1, concurrency / 2));
    }

    int perHost() {
        return perHost;
    }

    /** @return the host of {@code url}, whose turn is now taken; null when it has {@link #perHost} under way */
    String take(String url) {
        String host = host(url);
        boolean[] taken = {false};
        underWay.compute(host, (h, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perHost) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0] ? host : null;
    }

    /** An attempt to {@code host}, taken by {@link #take}, has ended. */
    void give(String host) {
        underWay.computeIfPresent(host, (h, count) -> count <= 1 ? null : count - 1);
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
