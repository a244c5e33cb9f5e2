package io.videotranscoder.redis;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import redis.clients.jedis.UnifiedJedis;

/** Ready only while Redis answers: without it the service can neither take nor run a job. */
public class RedisHealthCheck extends AbstractHealthCheck {

    private final UnifiedJedis redis;

    public RedisHealthCheck(UnifiedJedis redis) {
        super("transcoder", "redis");
        this.redis = redis;
    }

    @Override
    public boolean isLiveness() {
        return false; // an outage is not a reason to restart the process
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            redis.ping();
            builder.up();
        } catch (RuntimeException e) {
            builder.message("Redis unreachable: " + e.getMessage()).down();
        }
    }
}
