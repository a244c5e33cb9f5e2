package io.videotranscoder.redis;

import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's eviction policy, read from a real server. */
class EvictionPolicyTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);

    @Test
    void only_a_redis_that_never_evicts_keys_is_fine() {
        assertTrue(EvictionPolicy.problem(SERVER.client()).isEmpty(), "Redis's default: noeviction");
        SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory-policy", "allkeys-lru");
        try {
            assertEquals("Redis evicts keys when it is full (maxmemory-policy allkeys-lru): jobs, queue entries and"
                         + " uploads may vanish; set maxmemory-policy noeviction",
                    EvictionPolicy.problem(SERVER.client()).orElseThrow());
        } finally {
            SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory-policy", "noeviction");
        }
    }
}
