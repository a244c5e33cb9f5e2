package io.videotranscoder.redis;

import java.time.Duration;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.SafeEncoder;

/** How long the Redis server has run since it started (INFO server's {@code uptime_in_seconds}). */
public final class RedisUptime {

    private RedisUptime() {
    }

    /** Zero where the server does not tell (a managed Redis may leave the field out): as if it had just started. */
    public static Duration of(UnifiedJedis redis) {
        String info = SafeEncoder.encode((byte[]) redis.sendCommand(Protocol.Command.INFO, "server"));
        return info.lines().filter(line -> line.startsWith("uptime_in_seconds:"))
                .map(line -> Duration.ofSeconds(Long.parseLong(line.substring(line.indexOf(':') + 1).strip())))
                .findFirst().orElse(Duration.ZERO);
    }
}
