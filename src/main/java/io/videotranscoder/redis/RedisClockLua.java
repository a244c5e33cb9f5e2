package io.videotranscoder.redis;

/** Lua for the scripts that time things on Redis's own clock, the one every process and host sees alike. */
public final class RedisClockLua {

    /** Sets {@code now}: Redis's clock, in milliseconds. */
    public static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    private RedisClockLua() {
    }
}
