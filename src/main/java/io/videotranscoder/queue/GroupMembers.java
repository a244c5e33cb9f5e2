package io.videotranscoder.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.videotranscoder.redis.RedisClockLua;
import redis.clients.jedis.UnifiedJedis;

/**
 * Who is in a consumer group: members say they are alive every few seconds while they poll, and housekeeping removes
 * those gone for long that hold no entry, what restarted workers left behind under their old names.
 */
public record GroupMembers(UnifiedJedis redis, String key, String group) {

    /**
     * A member says it is alive (Redis 7.0 refreshes a member's idle time only when a read returns entries), on Redis's
     * clock, so that members on other machines compare alike.
     */
    private static final String HEARTBEAT = RedisClockLua.NOW + """
            redis.call('HSET', KEYS[2], ARGV[1], now)
            return 1""";

    /**
     * Removes a member not heard of for ARGV[3] ms that holds no entry, checked in the same step, so that no pending
     * entry is ever dropped.
     */
    private static final String REMOVE_GONE = RedisClockLua.NOW + """
            local seen = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
            if now - seen <= tonumber(ARGV[3]) then return 0 end
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
            if #p > 0 then return 0 end
            redis.call('HDEL', KEYS[2], ARGV[2])
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1""";

    /** Whether ARGV[1] said it was alive within the last ARGV[2] ms. */
    private static final String SEEN_WITHIN = RedisClockLua.NOW + """
            local seen = redis.call('HGET', KEYS[1], ARGV[1])
            if not seen then return 0 end
            if now - tonumber(seen) <= tonumber(ARGV[2]) then return 1 end
            return 0""";

    /** Records that {@code consumer} is alive now; members call it every few seconds while they poll. */
    void heartbeat(String consumer) {
        redis.eval(HEARTBEAT, List.of(key, seen()), List.of(consumer));
    }

    /**
     * Members that hold no entry and have not said they are alive for {@code goneMillis}. A member removed while alive
     * is added again by its next read.
     *
     * @return the names removed
     */
    public List<String> removeGone(long goneMillis) {
        List<String> removed = new ArrayList<>();
        if (!redis.exists(key)) {
            return removed; // no worker has run yet: no group either
        }
        Set<String> names = new TreeSet<>(redis.hkeys(seen()));
        redis.xinfoConsumers2(key, group).forEach(member -> names.add(member.getName()));
        for (String name : names) {
            if (Long.valueOf(1).equals(redis.eval(REMOVE_GONE, List.of(key, seen()),
                    List.of(group, name, Long.toString(goneMillis))))) {
                removed.add(name);
            }
        }
        return removed;
    }

    /** Whether {@code member} said it was alive within the last {@code millis}, on Redis's clock. */
    public boolean seenWithin(String member, long millis) {
        return Long.valueOf(1).equals(redis.eval(SEEN_WITHIN, List.of(seen()), List.of(member,
                Long.toString(millis))));
    }

    /** When each member last said it was alive (ms, Redis's clock). */
    private String seen() {
        return key + ":members:" + group;
    }
}
