package io.videotranscoder.queue;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import redis.clients.jedis.UnifiedJedis;

/** Redis Streams with consumer groups: at-least-once work queues. */
public class RedisStreamComponent extends DefaultComponent {

    @Metadata(description = "The Redis client shared by all endpoints.", autowired = true)
    private UnifiedJedis redis;

    public RedisStreamComponent() {
    }

    public RedisStreamComponent(UnifiedJedis redis) {
        this.redis = redis;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
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
}
