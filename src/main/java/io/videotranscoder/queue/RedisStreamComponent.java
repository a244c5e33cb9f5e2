package io.videotranscoder.queue;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis Streams with consumer groups: at-least-once work queues. Found by its scheme on the classpath (the generated
 * service file); its Redis client is the single {@link UnifiedJedis} in the registry unless one is given.
 */
@Component("redis-stream")
public class RedisStreamComponent extends DefaultComponent {

    @Metadata(description = "The Redis client shared by all endpoints.", autowired = true)
    private UnifiedJedis redis;
    /** Whether the consumers of this Redis may claim expired entries, after an outage. */
    private final ClaimGate claims = new ClaimGate();

    public RedisStreamComponent() {
    }

    public RedisStreamComponent(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (redis == null) {
            throw new IllegalStateException("redis-stream needs a redis.clients.jedis.UnifiedJedis bean");
        }
        RedisStreamEndpoint endpoint = new RedisStreamEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public UnifiedJedis getRedis() {
        return redis;
    }

    public void setRedis(UnifiedJedis redis) {
        this.redis = redis;
    }

    ClaimGate claims() {
        return claims;
    }
}
