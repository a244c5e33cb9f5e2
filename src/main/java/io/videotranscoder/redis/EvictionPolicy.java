package io.videotranscoder.redis;

import java.util.List;
import java.util.Optional;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The service keeps its jobs, queues and uploads in Redis, none of them a cache: a Redis that evicts keys when full
 * (an {@code allkeys-*} or {@code volatile-*} policy, the default of many managed services) drops queued jobs and
 * uploads under way without a word. Only {@code noeviction} refuses writes instead, which the service answers as a
 * passing failure (503).
 */
public final class EvictionPolicy {

    private EvictionPolicy() {
    }

    /** What is wrong with the server's policy, if anything can be told (a managed Redis may refuse CONFIG). */
    public static Optional<String> problem(UnifiedJedis redis) {
        Object answer;
        try {
            answer = redis.sendCommand(Protocol.Command.CONFIG, "GET", "maxmemory-policy");
        } catch (JedisException e) {
            return Optional.empty();
        }
        // ["maxmemory-policy", value], as RESP2 answers it
        String value = answer instanceof List<?> pair && pair.size() == 2 ? SafeEncoder.encode((byte[]) pair.get(1))
                : "noeviction";
        return "noeviction".equals(value) ? Optional.empty() : Optional.of("Redis evicts keys when it is full "
                + "(maxmemory-policy " + value + "): jobs, queue entries and uploads may vanish; set maxmemory-policy "
                + "noeviction");
    }
}
