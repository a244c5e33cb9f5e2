package io.videotranscoder.queue;

import java.util.concurrent.Semaphore;
import io.videotranscoder.process.HostName;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import redis.clients.jedis.UnifiedJedis;

/**
 * Produce to (XADD) and consume from (XREADGROUP) a Redis Stream through a consumer group. Entries are acknowledged
 * only after the route completed them; entries left idle by a dead consumer are claimed by a live one.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "redis-stream", title = "Redis Stream", syntax = "redis-stream:key",
             category = { Category.MESSAGING }, headersClass = RedisStreamConstants.class)
public class RedisStreamEndpoint extends DefaultEndpoint {

    @UriPath(description = "The key of the stream.")
    @Metadata(required = true)
    private final String key;

    @UriParam(label = "consumer", defaultValue = "workers",
              description = "The consumer group; created (with the stream) when missing.")
    private String group = "workers";

    @UriParam(label = "consumer",
              description = "This member's name in the group; keep it stable across restarts so that the member"
                            + " replays its own pending entries. Each poller thread appends a dash and its number."
                            + " Defaults to the host name.")
    private String consumerName;

    @UriParam(label = "consumer", defaultValue = "1", description = "How many entries are processed at once.")
    private int concurrency = 1;

    @UriParam(label = "consumer", defaultValue = "1000", javaType = "java.time.Duration",
              description = "How long one XREADGROUP blocks (milliseconds, or a duration such as 1s).")
    private long blockTimeout = 1000;

    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "An entry idle this long (milliseconds, or a duration such as 60s) is taken over by another"
                            + " member. A member renews the lease of the entries it is processing every third of this"
                            + " time.")
    private long leaseTime = 60_000;

    @UriParam(label = "consumer", defaultValue = "5000", javaType = "java.time.Duration",
              description = "How often a poller looks for expired leases (milliseconds, or a duration such as 5s).")
    private long claimInterval = 5000;

    @UriParam(label = "consumer", defaultValue = "3",
              description = "Deliveries after which the entry is handed to the route flagged as exhausted and then moved"
                            + " to the dead-letter stream. 0 retries forever.")
    private int maxDeliveries = 3;

    @UriParam(label = "consumer", description = "Where exhausted entries go (XADD); when unset they are only acknowledged.")
    private String deadLetterStream;

    @UriParam(label = "consumer", defaultValue = "10000",
              description = "How many entries the dead-letter stream keeps, the latest (XADD MAXLEN): it does not grow"
                            + " for ever.")
    private int deadLetterMaxLength = 10_000;

    @UriParam(label = "consumer",
              description = "Permits shared with the consumers of other streams (a Semaphore bean, #name): an entry is"
                            + " taken only with a permit, so that they process as many entries at once as it has"
                            + " permits, in all. Without it, this consumer's concurrency alone bounds them.")
    private Semaphore slots;

    @UriParam(label = "consumer",
              description = "Whether entries may be taken now (an Admission bean, #name): while it says no, this"
                            + " consumer's entries stay queued, and those it runs go on.")
    private Admission admission;

    public RedisStreamEndpoint(String uri, RedisStreamComponent component, String key) {
        super(uri, component);
        this.key = key;
    }

    @Override
    public Producer createProducer() {
        return new RedisStreamProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RedisStreamConsumer consumer = new RedisStreamConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    UnifiedJedis redis() {
        return ((RedisStreamComponent) getComponent()).getRedis();
    }

    ClaimGate claims() {
        return ((RedisStreamComponent) getComponent()).claims();
    }

    String resolvedConsumerName() {
        return HostName.or(consumerName);
    }

    public String getKey() {
        return key;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getConsumerName() {
        return consumerName;
    }

    public void setConsumerName(String consumerName) {
        this.consumerName = consumerName;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public long getBlockTimeout() {
        return blockTimeout;
    }

    public void setBlockTimeout(long blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    public long getLeaseTime() {
        return leaseTime;
    }

    public void setLeaseTime(long leaseTime) {
        this.leaseTime = leaseTime;
    }

    public long getClaimInterval() {
        return claimInterval;
    }

    public void setClaimInterval(long claimInterval) {
        this.claimInterval = claimInterval;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public String getDeadLetterStream() {
        return deadLetterStream;
    }

    public void setDeadLetterStream(String deadLetterStream) {
        this.deadLetterStream = deadLetterStream;
    }

    public int getDeadLetterMaxLength() {
        return deadLetterMaxLength;
    }

    public void setDeadLetterMaxLength(int deadLetterMaxLength) {
        this.deadLetterMaxLength = deadLetterMaxLength;
    }

    public Semaphore getSlots() {
        return slots;
    }

    public void setSlots(Semaphore slots) {
        this.slots = slots;
    }

    public Admission getAdmission() {
        return admission;
    }

    public void setAdmission(Admission admission) {
        this.admission = admission;
    }
}
