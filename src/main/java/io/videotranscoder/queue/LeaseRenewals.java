package io.videotranscoder.queue;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.redis.Outage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Keeps the leases of the entries a consumer's routes run fresh, every third of the lease, so that a long job is never
 * taken over; once another member owns an entry, its lease is lost and its route told at once. Whether Redis answers
 * tells the consumers' {@link ClaimGate}.
 */
final class LeaseRenewals {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewals.class);

    private final ScheduledExecutorService leases;
    private final StreamGroup streamGroup;
    private final ClaimGate claims;
    private final Outage outage;
    private final long everyMillis;

    LeaseRenewals(ScheduledExecutorService leases, StreamGroup streamGroup, ClaimGate claims, Outage outage,
            long leaseMillis) {
        this.leases = leases;
        this.streamGroup = streamGroup;
        this.claims = claims;
        this.outage = outage;
        this.everyMillis = Math.max(100, leaseMillis / 3);
    }

    /** Renews the entry's lease until the answer is cancelled, once its route is over. */
    ScheduledFuture<?> start(String consumer, StreamEntry entry, StreamLease lease) {
        return leases.scheduleAtFixedRate(() -> renew(consumer, entry, lease), everyMillis, everyMillis,
                TimeUnit.MILLISECONDS);
    }

    private void renew(String consumer, StreamEntry entry, StreamLease lease) {
        try {
            if (!lease.isLost()) {
                if (!streamGroup.renew(consumer, entry.getID())) {
                    lease.lose();
                }
                claims.reached();
            }
        } catch (JedisException e) {
            claims.outage();
            outage.failed(e); // the lease is kept if Redis is back within it; lost (and then told) otherwise
        } catch (RuntimeException e) {
            LOG.warn("Could not renew the lease of entry {}: {}", entry.getID(), e.getMessage());
        }
    }
}
