package io.videotranscoder.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

import io.videotranscoder.redis.Outage;
import io.videotranscoder.process.JvmShutdown;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Runs {@code concurrency} pollers. Each first replays its own pending entries, then alternates between taking over
 * entries whose lease expired and blocking for new ones, each time with a permit of the {@code slots} it shares with
 * other streams' consumers, if any. While the route runs, the entry's lease is renewed ({@link LeaseRenewals}); then
 * {@link EntrySettlement} settles it: acknowledged only when the route completed it without an exception. After an
 * outage, expired entries wait for the {@link ClaimGate}.
 */
public class RedisStreamConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private final RedisStreamEndpoint endpoint;
    private final Outage outage;
    private ExecutorService pollers;
    private ScheduledExecutorService leases;
    private StreamGroup streamGroup;
    private GroupMembers members;
    private EntrySettlement settlement;
    private ClaimGate claims;
    private LeaseRenewals renewals;
    private Turns turns;

    public RedisStreamConsumer(RedisStreamEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.outage = new Outage(LOG, "stream " + endpoint.getKey() + " (group " + endpoint.getGroup() + ")");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        streamGroup = new StreamGroup(endpoint.redis(), endpoint.getKey(), endpoint.getGroup());
        members = new GroupMembers(endpoint.redis(), endpoint.getKey(), endpoint.getGroup());
        settlement = new EntrySettlement(streamGroup, endpoint, getExceptionHandler());
        claims = endpoint.claims();
        var threads = getEndpoint().getCamelContext().getExecutorServiceManager();
        leases = threads.newSingleThreadScheduledExecutor(this, "redis-stream-lease");
        renewals = new LeaseRenewals(leases, streamGroup, claims, outage, endpoint.getLeaseTime());
        turns = new Turns(endpoint.getSlots(), endpoint.getAdmission(), endpoint.getKey());
        pollers = threads.newFixedThreadPool(this, "redis-stream-poller", endpoint.getConcurrency());
        String name = endpoint.resolvedConsumerName();
        for (int i = 1; i <= endpoint.getConcurrency(); i++) {
            String consumer = endpoint.getConcurrency() == 1 ? name : name + "-" + i;
            pollers.submit(() -> poll(consumer));
        }
    }

    @Override
    protected void doStop() throws Exception {
        var threads = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (pollers != null) {
            threads.shutdownGraceful(pollers);
            pollers = null;
        }
        if (leases != null) {
            threads.shutdownNow(leases);
            leases = null;
        }
        super.doStop();
    }

    private boolean running() {
        return !JvmShutdown.started() && isRunAllowed() && !isSuspendingOrSuspended()
               && !getEndpoint().getCamelContext().isStopping();
    }

    private void poll(String consumer) {
        boolean ready = false;
        long backoff = 0;
        long nextClaim = System.nanoTime();
        while (running()) {
            if (!turns.takeSlot()) {
                continue;
            }
            try {
                boolean admitted = turns.admitted();
                if (admitted && !ready) {
                    streamGroup.create();
                    replayOwn(consumer);
                    ready = true;
                    claims.reached();
                }
                // Timed on the monotonic clock: a step of the system's clock neither hurries nor holds up the claims.
                // A member that takes no entries stays one: its heartbeat goes on.
                if (System.nanoTime() - nextClaim >= 0) {
                    members.heartbeat(consumer);
                    StreamEntry idle = admitted && claims.open(endpoint.getLeaseTime())
                            ? streamGroup.claimIdle(consumer, endpoint.getLeaseTime()) : null;
                    if (idle != null) {
                        deliver(consumer, idle, streamGroup.deliveryCount(idle.getID()));
                        continue;
                    }
                    nextClaim = System.nanoTime() + endpoint.getClaimInterval() * 1_000_000;
                }
                List<StreamEntry> next = admitted ? streamGroup.next(consumer, (int) endpoint.getBlockTimeout())
                        : List.of();
                outage.reached(); // Redis answered its last call (after a failure, the heartbeat is due at once)
                claims.reached();
                for (StreamEntry entry : next) {
                    deliver(consumer, entry, 1);
                }
                backoff = 0;
                if (!admitted) {
                    pause(endpoint.getBlockTimeout());
                }
            } catch (JedisException e) {
                // An entry this member could not settle stays pending to it: once Redis is back, it is taken back
                // first, as on a restart, rather than when its lease expires.
                ready = false;
                claims.outage();
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(500, backoff * 2));
                outage.failed(e);
                pause(backoff);
            } catch (RuntimeException e) {
                getExceptionHandler().handleException("Error polling Redis stream " + endpoint.getKey(), e);
                pause(1000);
            } finally {
                turns.releaseSlot();
            }
        }
    }

    /**
     * What this member held when it stopped, each entry once, in order: one that fails again stays pending, to come
     * back after its delay or lease as any other.
     */
    private void replayOwn(String consumer) {
        StreamEntryID after = new StreamEntryID();
        for (List<StreamEntry> own = streamGroup.ownPending(consumer, 16, after); !own.isEmpty() && running();
             own = streamGroup.ownPending(consumer, 16, after)) {
            for (StreamEntry entry : own) {
                deliver(consumer, entry, streamGroup.retakenCount(consumer, entry.getID()));
                after = entry.getID();
            }
        }
    }

    private void deliver(String consumer, StreamEntry entry, long deliveries) {
        if (entry.getFields() == null) {
            // Deleted while pending: nothing left to process.
            streamGroup.ack(consumer, entry.getID());
            return;
        }
        boolean exhausted = endpoint.getMaxDeliveries() > 0 && deliveries > endpoint.getMaxDeliveries();
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(new LinkedHashMap<>(entry.getFields()));
        exchange.getIn().setHeader(RedisStreamConstants.STREAM, endpoint.getKey());
        exchange.getIn().setHeader(RedisStreamConstants.ENTRY_ID, entry.getID().toString());
        exchange.getIn().setHeader(RedisStreamConstants.DELIVERY_COUNT, deliveries);
        exchange.getIn().setHeader(RedisStreamConstants.EXHAUSTED, exhausted);
        exchange.getIn().setHeader(RedisStreamConstants.CONSUMER, consumer);
        StreamLease lease = new StreamLease(() -> streamGroup.owns(consumer, entry.getID()));
        lease.onLost(() -> LOG.warn("Lost the lease of entry {} on {}: another member took it over; this one stops its"
                + " work", entry.getID(), endpoint.getKey()));
        exchange.setProperty(RedisStreamConstants.LEASE, lease);

        ScheduledFuture<?> renewal = renewals.start(consumer, entry, lease);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            renewal.cancel(false);
        }
        try {
            settlement.settle(consumer, entry, deliveries, exhausted, lease, exchange, running());
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
