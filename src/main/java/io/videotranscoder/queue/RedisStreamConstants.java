package io.videotranscoder.queue;

import org.apache.camel.spi.Metadata;

/** Headers of the {@code redis-stream:} component. */
public final class RedisStreamConstants {

    @Metadata(description = "The stream key the entry was read from or added to.", javaType = "String")
    public static final String STREAM = "CamelRedisStreamKey";

    @Metadata(description = "The id of the stream entry (e.g. 1718000000000-0).", javaType = "String")
    public static final String ENTRY_ID = "CamelRedisStreamEntryId";

    @Metadata(label = "consumer", description = "How many times the entry has been delivered, this delivery included.",
              javaType = "long")
    public static final String DELIVERY_COUNT = "CamelRedisStreamDeliveryCount";

    @Metadata(label = "consumer",
              description = "True when the entry was delivered more than maxDeliveries times: the route should record"
                            + " the failure; the entry then moves to the dead-letter stream instead of being retried.",
              javaType = "boolean")
    public static final String EXHAUSTED = "CamelRedisStreamExhausted";

    @Metadata(label = "consumer", description = "The consumer-group member that holds the entry.", javaType = "String")
    public static final String CONSUMER = "CamelRedisStreamConsumer";

    @Metadata(label = "consumer",
              description = "Set by the route on an exchange that failed: deliver the entry again after this many"
                            + " milliseconds rather than after the lease (at most the lease).",
              javaType = "long")
    public static final String RETRY_DELAY = "CamelRedisStreamRetryDelay";

    @Metadata(label = "consumer",
              description = "Set (true) by the route on an exchange that a stop of this member's cut short (its work"
                            + " did not fail): the entry goes back without using up one of its deliveries.",
              javaType = "boolean")
    public static final String STOPPED_UNCOUNTED = "CamelRedisStreamStoppedUncounted";

    @Metadata(label = "consumer",
              description = "Exchange property: the entry's StreamLease. It is lost once another member took the entry"
                            + " over (this one paused past its lease); the route registers what stops its work then.",
              javaType = "io.videotranscoder.queue.StreamLease")
    public static final String LEASE = "CamelRedisStreamLease";

    private RedisStreamConstants() {
    }
}
