package io.videotranscoder.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.videotranscoder.redis.ScriptArgs;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * The Redis commands one member of a consumer group needs to take, hold and settle entries; each multi-step change is
 * one atomic script. The group's upkeep is {@link GroupMembers} and {@link GroupBacklog}.
 */
public record StreamGroup(UnifiedJedis redis, String key, String group) {

    /** Refresh the idle time of an entry, but only while this member still owns it. */
    /** The start of a group's pending list, and XAUTOCLAIM's answer once it looked through to its end. */
    private static final StreamEntryID PENDING_START = new StreamEntryID();
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
     * Takes back an entry of this member's own pending list (ARGV[3]) and answers its delivery count, made to last:
     * Redis 7.0 counts a re-read of a pending entry (XREADGROUP from 0) in memory only and writes nothing of it to the
     * append-only file, so after a restart of Redis the count would be as before the re-reads, and a job that brings
     * its worker (and the embedded Redis with it) down every time would never run out of deliveries. An XCLAIM that
     * sets the count is written.
     */
    private static final String RETAKE = OWNED + """
            local n = p[1][4]
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'RETRYCOUNT', n, 'JUSTID')
            return n""";

    /**
     * Hands the entry back on this member's stop: idle for ARGV[4] ms, so that another member claims it at once, and
     * its delivery count one less, so that the claim that takes it (which counts one) leaves it as it was. A stop of a
     * member (a rollout, a scale-down, a drained node) is no attempt of the entry's: a job handed back three times was
     * given up on.
     */
    private static final String HAND_BACK = OWNED + """
            local n = math.max(0, tonumber(p[1][4]) - 1)
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[4], 'RETRYCOUNT', n, 'JUSTID')
            return 1""";

    /**
     * Done: acknowledge, only by its owner. The entry is not deleted: Redis 7.0 cannot count the group's lag (XINFO
     * GROUPS, what autoscalers read) across a deleted entry the group has not passed; {@link GroupBacklog#trimAcknowledged} removes
     * the history instead.
     */
    private static final String ACK = OWNED + """
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
            return 1""";

    /**
     * Give up: copy the entry to the dead-letter stream, which keeps its last ARGV[4] entries, then acknowledge
     * it; only by its owner.
     */
    private static final String DEAD_LETTER = OWNED + """
            local fields = {}
            for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
            redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], '*', unpack(fields))
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
            return 1""";

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

    /** Entries delivered to this member and not acknowledged (what it held when it stopped), past {@code after}. */
    List<StreamEntry> ownPending(String consumer, int count, StreamEntryID after) {
        return read(consumer, count, 0, after);
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

    /**
     * Takes over one entry that has been idle longer than {@code leaseMillis}, if there is one. XAUTOCLAIM looks at ten
     * pending entries a call for one claimed, and answers where to go on: the whole pending list is looked through,
     * so that an entry behind ten that live members hold is found too.
     */
    StreamEntry claimIdle(String consumer, long leaseMillis) {
        StreamEntryID from = PENDING_START;
        do {
            var answer = redis.xautoclaim(key, group, consumer, leaseMillis, from,
                    XAutoClaimParams.xAutoClaimParams().count(1));
            List<StreamEntry> entries = answer.getValue();
            if (entries != null && !entries.isEmpty() && entries.get(0) != null) {
                return entries.get(0);
            }
            from = answer.getKey();
        } while (!PENDING_START.equals(from)); // back at 0-0: looked through to its end
        return null;
    }

    /** How many times an entry of this member's own pending list has been delivered, this time included, durably. */
    long retakenCount(String consumer, StreamEntryID id) {
        Object count = redis.eval(RETAKE, List.of(key), List.of(group, consumer, id.toString()));
        return count instanceof Long n && n > 0 ? n : 1;
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

    /** Hands the entry back on this member's stop, uncounted ({@link #HAND_BACK}), idle for {@code idleMillis}. */
    void handBack(String consumer, StreamEntryID id, long idleMillis) {
        redis.eval(HAND_BACK, List.of(key), List.of(group, consumer, id.toString(), Long.toString(idleMillis)));
    }

    /** @return false when another member owns the entry now: it was left alone */
    boolean ack(String consumer, StreamEntryID id) {
        return Long.valueOf(1).equals(redis.eval(ACK, List.of(key), List.of(group, consumer, id.toString())));
    }

    /** @return false when another member owns the entry now: it was left alone */
    boolean deadLetter(String consumer, StreamEntryID id, String deadLetterKey, int keep, Map<String, String> fields) {
        return Long.valueOf(1).equals(redis.eval(DEAD_LETTER, List.of(key, deadLetterKey),
                ScriptArgs.of(fields, group, consumer, id.toString(), Integer.toString(keep))));
    }

    /** Whether this member still owns the entry. */
    boolean owns(String consumer, StreamEntryID id) {
        return !redis.xpending(key, group, XPendingParams.xPendingParams(id, id, 1).consumer(consumer)).isEmpty();
    }
}
