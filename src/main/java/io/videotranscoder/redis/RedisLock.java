package io.videotranscoder.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** A lock that one process holds for a while, e.g. so that one instance does the housekeeping of a period. */
public record RedisLock(UnifiedJedis redis, String key) {

    /** Takes the lock for {@code millis} unless another process holds it; it is never released, only expires. */
    public boolean tryHold(long millis) {
        return "OK".equals(redis.set(key, "1", SetParams.setParams().nx().px(millis)));
    }
}
