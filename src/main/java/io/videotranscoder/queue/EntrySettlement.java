package io.videotranscoder.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Settles an entry once the route has run on it: acknowledged, dead-lettered, handed back, delivered again later or
 * left pending; and left alone once another member took it over, since what this exchange did is not ours to settle.
 */
record EntrySettlement(StreamGroup group, RedisStreamEndpoint endpoint, ExceptionHandler handler) {

    /** What becomes of the entry. */
    enum Way { ABANDON, HAND_BACK, DELAY, LEAVE_PENDING, DEAD_LETTER, ACKNOWLEDGE }

    private static final Logger LOG = LoggerFactory.getLogger(EntrySettlement.class);

    /**
     * @param failed     whether the exchange ended with an exception
     * @param stillOwned asked only of a failed exchange whose lease was not lost
     * @param running    false once this member is shutting down
     * @param delayAsked whether the route asked for a later delivery (header {@code RETRY_DELAY})
     * @param deadLetter whether the entry is out of deliveries and a dead-letter stream is set
     */
    static Way way(boolean leaseLost, boolean failed, BooleanSupplier stillOwned, boolean running, boolean delayAsked,
            boolean deadLetter) {
        if (leaseLost || failed && !stillOwned.getAsBoolean()) {
            return Way.ABANDON;
        }
        if (failed) {
            return !running ? Way.HAND_BACK : delayAsked ? Way.DELAY : Way.LEAVE_PENDING;
        }
        return deadLetter ? Way.DEAD_LETTER : Way.ACKNOWLEDGE;
    }

    /**
     * Releases the entry to any member, idle for {@code idleMillis}: a run this member's stop cut short (header
     * {@link RedisStreamConstants#STOPPED_UNCOUNTED}) uses up none of its deliveries; any other failure does.
     */
    private void release(String consumer, StreamEntry entry, long idleMillis, Exchange exchange) {
        if (exchange.getMessage().getHeader(RedisStreamConstants.STOPPED_UNCOUNTED, false, Boolean.class)) {
            group.handBack(consumer, entry.getID(), idleMillis);
        } else {
            group.release(consumer, entry.getID(), idleMillis);
        }
    }

    void settle(String consumer, StreamEntry entry, long deliveries, boolean exhausted, StreamLease lease,
            Exchange exchange, boolean running) {
        Exception failure = exchange.getException();
        Long delay = exchange.getMessage().getHeader(RedisStreamConstants.RETRY_DELAY, Long.class);
        switch (way(lease.isLost(), failure != null, () -> group.owns(consumer, entry.getID()), running, delay != null,
                exhausted && endpoint.getDeadLetterStream() != null)) {
            case ABANDON -> LOG.info("Entry {} abandoned: another member took it over while this one processed it",
                    entry.getID());
            case HAND_BACK -> { // now rather than when its lease expires
                release(consumer, entry, endpoint.getLeaseTime(), exchange);
                LOG.info("Entry {} handed back to the group on shutdown", entry.getID());
            }
            case DELAY -> { // looks idle for (lease - delay) already: any member claims it once the delay has passed
                release(consumer, entry, Math.max(0, endpoint.getLeaseTime() - delay), exchange);
                LOG.info("Entry {} will be delivered again in {} ms: {}", entry.getID(), delay, failure.getMessage());
            }
            // Redelivered when its lease expires (or when this member restarts).
            case LEAVE_PENDING -> handler.handleException("Entry " + entry.getID() + " not completed; it will be"
                                                          + " redelivered", exchange, failure);
            case DEAD_LETTER -> {
                Map<String, String> fields = new LinkedHashMap<>(entry.getFields());
                fields.put("deadLetteredFrom", entry.getID().toString());
                fields.put("deliveries", Long.toString(deliveries));
                settled(entry, group.deadLetter(consumer, entry.getID(), endpoint.getDeadLetterStream(),
                        endpoint.getDeadLetterMaxLength(), fields));
            }
            case ACKNOWLEDGE -> settled(entry, group.ack(consumer, entry.getID()));
        }
    }

    private static void settled(StreamEntry entry, boolean owned) {
        if (!owned) {
            LOG.warn("Entry {} not acknowledged: another member took it over before this one finished", entry.getID());
        }
    }
}
