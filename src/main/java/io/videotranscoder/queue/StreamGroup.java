package io.videotranscoder.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;

/** The Redis commands one member of a consumer group needs; each multi-step change is one atomic script. */
public final class StreamGroup {

    /** Refresh the idle time of an entry, but only while this member still owns it. */
    private static final String RENEW = """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
            if #p == 0 then return 0 end
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[4], 'JUSTID')
            return 1""";

    /** Whether this member (ARGV[2]) still owns the entry (ARGV[3]); prefixed to each script that ends an entry. */
    private static final String OWNED = """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
            if #p == 0 then return 0 end
            """;

    /**
     * Done: acknowledge, only by its owner. The entry is not deleted: Redis 7.0 cannot count the group's lag (XINFO
     * GROUPS, what autoscalers read) across a deleted entry the group has not passed; {@link #trimAcknowledged} removes
     * the history instead.
     */
    private static final String ACK = OWNED + """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
            return 1""";

    /** Give up: copy the entry to the dead-letter stream, then acknowledge it; only by its owner. */
    private static final String DEAD_LETTER = OWNED + """
            local fields = {}
            for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
            redis.call('XADD', KEYS[2], '*', unpack(fields))
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
            return 1""";

    /**
     * Removes the entries before the oldest one not yet acknowledged (the oldest pending, else the first not yet
     * delivered), all of them when every entry is acknowledged. Trimming from the head, unlike XDEL, keeps the lag
     * defined. Nothing is trimmed before the group exists.
     */
    private static final String TRIM_ACKNOWLEDGED = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local last
            for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
              local info = {}
              for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
              if info['name'] == ARGV[1] then last = info['last-delivered-id'] end
            end
            if not last then return 0 end
            local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
            if pending[1] > 0 then return redis.call('XTRIM', KEYS[1], 'MINID', pending[2]) end
            local next = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1)
            if #next > 0 then return redis.call('XTRIM', KEYS[1], 'MINID', next[1][1]) end
            return redis.call('XTRIM', KEYS[1], 'MAXLEN', 0)""";

    /** Redis's own clock in milliseconds, so that members on other machines compare alike. */
    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** A member says it is alive (Redis 7.0 refreshes a member's idle time only when a read returns entries). */
    private static final String HEARTBEAT = NOW + """
            redis.call('HSET', KEYS[2], ARGV[1], now)
            return 1""";

    /**
     * Removes a member not heard of for ARGV[3] ms that holds no entry, checked in the same step, so that no pending
     * entry is ever dropped.
     */
    private static final String REMOVE_GONE = NOW + """
            local seen = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
            if now - seen <= tonumber(ARGV[3]) then return 0 end
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
            if #p > 0 then return 0 end
            redis.call('HDEL', KEYS[2], ARGV[2])
            redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            return 1""";

    private final UnifiedJedis redis;
    private final String key;
    private final String group;

    public StreamGroup(UnifiedJedis redis, String key, String group) {
        this.redis = redis;
        this.key = key;
        this.group = group;
    }

    /**
     * Creates the group (and the stream) reading from the start, so entries added before any worker ran count. The API
     * creates it too: an autoscaler reads the group's lag before the first worker exists.
     */
    public void create() {
        try {
            redis.xgroupCreate(key, group, new StreamEntryID(), true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Entries delivered to this member but not acknowledged: what it held when it last stopped. */
    List<StreamEntry> ownPending(String consumer, int count) {
        return read(consumer, count, 0, new StreamEntryID());
    }

    /** New entries, waiting up to {@code blockMillis} for one. */
    List<StreamEntry> next(String consumer, int blockMillis) {
        return read(consumer, 1, blockMillis, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
    }

    private List<StreamEntry> read(String consumer, int count, int blockMillis, StreamEntryID from) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(count);
        if (blockMillis > 0) {
            params.block(blockMillis);
        }
        var answer = redis.xreadGroup(group, consumer, params, Map.of(key, from));
        List<StreamEntry> entries = new ArrayList<>();
        if (answer != null) {
            answer.forEach(stream -> entries.addAll(stream.getValue()));
        }
        return entries;
    }

    /** Takes over one entry that has been idle longer than {@code leaseMillis}, if there is one. */
    StreamEntry claimIdle(String consumer, long leaseMillis) {
        var answer = redis.xautoclaim(key, group, consumer, leaseMillis, new StreamEntryID(),
                XAutoClaimParams.xAutoClaimParams().count(1));
        List<StreamEntry> entries = answer.getValue();
        return entries == null || entries.isEmpty() ? null : entries.get(0);
    }

    /** How many times the entry has been delivered (1 on the first delivery). */
    long deliveryCount(StreamEntryID id) {
        List<StreamPendingEntry> pending = redis.xpending(key, group, XPendingParams.xPendingParams(id, id, 1));
        return pending.isEmpty() ? 1 : pending.get(0).getDeliveredTimes();
    }

    boolean renew(String consumer, StreamEntryID id) {
        return Long.valueOf(1).equals(redis.eval(RENEW, List.of(key), List.of(group, consumer, id.toString(), "0")));
    }

    /** Marks the entry idle for {@code idleMillis}, so that another member claims it at once. */
    void release(String consumer, StreamEntryID id, long idleMillis) {
        redis.eval(RENEW, List.of(key), List.of(group, consumer, id.toString(), Long.toString(idleMillis)));
    }

    /** @return false when another member owns the entry now: it was left alone */
    boolean ack(String consumer, StreamEntryID id) {
        return Long.valueOf(1).equals(redis.eval(ACK, List.of(key), List.of(group, consumer, id.toString())));
    }

    /** @return false when another member owns the entry now: it was left alone */
    boolean deadLetter(String consumer, StreamEntryID id, String deadLetterKey, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(group, consumer, id.toString()));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return Long.valueOf(1).equals(redis.eval(DEAD_LETTER, List.of(key, deadLetterKey), args));
    }

    /** Whether this member still owns the entry. */
    boolean owns(String consumer, StreamEntryID id) {
        return !redis.xpending(key, group, XPendingParams.xPendingParams(id, id, 1).consumer(consumer)).isEmpty();
    }

    /** Records that {@code consumer} is alive now; members call it every few seconds while they poll. */
    void heartbeat(String consumer) {
        redis.eval(HEARTBEAT, List.of(key, members()), List.of(consumer));
    }

    /**
     * Members that hold no entry and have not said they are alive for {@code goneMillis}: what restarted workers left
     * behind under their old names. A member removed while alive is added again by its next read.
     *
     * @return the names removed
     */
    public List<String> removeGoneMembers(long goneMillis) {
        List<String> removed = new ArrayList<>();
        if (!redis.exists(key)) {
            return removed; // no worker has run yet: no group either
        }
        Set<String> names = new TreeSet<>(redis.hkeys(members()));
        redis.xinfoConsumers2(key, group).forEach(member -> names.add(member.getName()));
        for (String name : names) {
            if (Long.valueOf(1).equals(redis.eval(REMOVE_GONE, List.of(key, members()),
                    List.of(group, name, Long.toString(goneMillis))))) {
                removed.add(name);
            }
        }
        return removed;
    }

    /** Removes acknowledged history (see {@link #TRIM_ACKNOWLEDGED}); the stream must have no other group. */
    public long trimAcknowledged() {
        return (Long) redis.eval(TRIM_ACKNOWLEDGED, List.of(key), List.of(group));
    }

    /**
     * Entries not yet acknowledged: those not yet delivered, then those delivered and pending, read in that order so
     * that an entry delivered in between is still seen. The stream also holds acknowledged history until it is trimmed.
     */
    public List<StreamEntry> unacknowledged() {
        StreamGroupInfo info = info();
        if (info == null) {
            return redis.exists(key) ? redis.xrange(key, "-", "+") : List.of(); // no group: none delivered yet
        }
        List<StreamEntry> entries = new ArrayList<>(redis.xrange(key, "(" + info.getLastDeliveredId(), "+"));
        for (StreamPendingEntry pending : redis.xpending(key, group,
                XPendingParams.xPendingParams(StreamEntryID.MINIMUM_ID, StreamEntryID.MAXIMUM_ID, Integer.MAX_VALUE))) {
            entries.addAll(redis.xrange(key, pending.getID(), pending.getID(), 1));
        }
        return entries;
    }

    /** The group as XINFO GROUPS shows it, or null when it does not exist yet. */
    public StreamGroupInfo info() {
        if (!redis.exists(key)) {
            return null;
        }
        return redis.xinfoGroups(key).stream().filter(g -> g.getName().equals(group)).findFirst().orElse(null);
    }

    /** When each member last said it was alive (ms, Redis's clock). */
    private String members() {
        return key + ":members:" + group;
    }
}
