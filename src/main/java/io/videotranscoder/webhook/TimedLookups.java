package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Host lookups within a time limit, on a few threads of their own. The system's resolver takes as long as the name's
 * DNS servers make it (tens of seconds for a server that never answers), and a client chooses the names: each
 * {@code POST /jobs} with a callback, or each delivery, would hold its thread that long, and a few dozen would hold
 * every thread of the HTTP routes. Past the limit, or with every lookup thread and queue place taken, or when the
 * resolver says its failure is temporary, the host was not looked up now ({@link NotNow}), which says nothing of it; a
 * lookup still running goes on alone and ends with the resolver's own timeout. The names of one domain (its last two
 * labels) have at most {@value #PER_DOMAIN} lookups under way, each until the resolver really returns; a lookup waits
 * for its domain's turn within its limit (a healthy domain's lookups end in milliseconds): one client's stream of
 * callbacks on random names under a domain whose DNS never answers takes that many threads, not every tenant's.
 */
public final class TimedLookups implements HostResolver {

    /** The lookups of one domain's names under way at once, the resolver's own time included. */
    static final int PER_DOMAIN = 2;

    /**
     * How long a host that got no answer is still taken for one: the resolver remembers the failure (the JVM's negative
     * cache, 10 s) and answers it again without the words that said it was temporary.
     */
    private static final long REMEMBERED_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int REMEMBERED_AT_MOST = 10_000;

    private final HostResolver resolver;
    private final ExecutorService lookups;
    private final Duration limit;
    private final Map<String, Long> notNowUntil = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> shares = new ConcurrentHashMap<>();

    /** @param lookups a bounded pool, with a bounded queue that refuses past it */
    public TimedLookups(HostResolver resolver, ExecutorService lookups, Duration limit) {
        this.resolver = resolver;
        this.lookups = lookups;
        this.limit = limit;
    }

    /** No answer now: the host may resolve, or not, when it is looked up again. */
    public static class NotNow extends UnknownHostException {
        NotNow(String message) {
            super(message);
        }
    }

    /** Every lookup thread and queue place was taken, or its domain's share. */
    public static final class Busy extends NotNow {
        Busy(String host) {
            super(host + " was not looked up: too many lookups at once");
        }

        Busy(String host, String domain) {
            super(host + " was not looked up: too many lookups of " + domain + "'s names at once");
        }
    }

    /** An address written as one is no lookup: it takes no thread, and a burst of slow names does not refuse it. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (Cidr.isLiteral(host)) {
            return resolver.resolve(host);
        }
        long deadline = System.nanoTime() + limit.toNanos();
        String domain = domain(host);
        Semaphore share = share(domain);
        try {
            if (!share.tryAcquire(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Busy(host, domain); // its domain's lookups under way all along, none of them ending
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotNow(host + " was not looked up: interrupted");
        }
        AtomicBoolean begun = new AtomicBoolean(); // by the lookup, or by this caller giving it up before its turn
        Future<InetAddress[]> lookup;
        try {
            lookup = lookups.submit(() -> {
                if (!begun.compareAndSet(false, true)) {
                    throw new NotNow(host + " was not looked up: given up before its turn");
                }
                try {
                    return resolver.resolve(host);
                } finally {
                    share.release();
                }
            });
        } catch (RejectedExecutionException e) {
            share.release();
            throw new Busy(host);
        }
        try {
            return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            giveUp(lookup, begun, share);
            throw notNow(host, host + " did not resolve within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown
                && (String.valueOf(unknown.getMessage()).contains("Temporary failure in name resolution")
                    || remembered(host))) {
                // The resolver's EAI_AGAIN (its DNS server did not answer), or its memory of a failure that did.
                throw notNow(host, unknown.getMessage());
            }
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host + " could not be looked up: " + e.getCause());
        } catch (InterruptedException e) {
            giveUp(lookup, begun, share);
            Thread.currentThread().interrupt();
            throw new NotNow(host + " was not looked up: interrupted");
        }
    }

    /**
     * A lookup not waited for any more: one still queued never runs, and its domain's share is free at once; one under
     * way holds it until the resolver returns (an interrupt does not stop the system's resolver).
     */
    private static void giveUp(Future<InetAddress[]> lookup, AtomicBoolean begun, Semaphore share) {
        lookup.cancel(true);
        if (begun.compareAndSet(false, true)) {
            share.release();
        }
    }

    private Semaphore share(String domain) {
        if (shares.size() >= REMEMBERED_AT_MOST) {
            shares.clear(); // one held keeps working for its holders; the next lookups of its domain share anew
        }
        return shares.computeIfAbsent(domain, d -> new Semaphore(PER_DOMAIN));
    }

    /** The last two labels of a name: the domain its owner's DNS answers for (or the name itself). */
    static String domain(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int last = name.lastIndexOf('.');
        int before = last <= 0 ? -1 : name.lastIndexOf('.', last - 1);
        return name.substring(before + 1).toLowerCase(Locale.ROOT);
    }

    private boolean remembered(String host) {
        Long until = notNowUntil.get(host);
        return until != null && until - System.nanoTime() > 0;
    }

    private NotNow notNow(String host, String message) {
        if (notNowUntil.size() >= REMEMBERED_AT_MOST) {
            notNowUntil.clear();
        }
        notNowUntil.put(host, System.nanoTime() + REMEMBERED_NANOS);
        return new NotNow(message);
    }
}
