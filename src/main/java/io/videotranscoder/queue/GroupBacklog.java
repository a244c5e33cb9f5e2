package io.videotranscoder.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * What a consumer group has not finished, as the metrics and housekeeping read it, and the acknowledged history the
 * stream keeps (acknowledged entries are not deleted, see {@link StreamGroup}) until it is trimmed here.
 */
public record GroupBacklog(UnifiedJedis redis, String key, String group) {

    /**
     * Removes the entries before the oldest one that some group of the stream has not acknowledged (its oldest pending,
     * else the first it has not been delivered), all of them when every group acknowledged every entry; but none added
     * in the last ARGV[1] ms, which readers of the history (event streams replaying it) still need. Every group counts:
     * the job events are read by the webhooks and by the inbox, each at its own pace. Trimming from the head, unlike
     * XDEL, keeps the lag defined. Nothing is trimmed before a group exists.
     */
    private static final String TRIM_ACKNOWLEDGED = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
            if #groups == 0 then return 0 end
            local function before(a, b)
              local am, as = string.match(a, '^(%d+)-(%d+)$')
              local bm, bs = string.match(b, '^(%d+)-(%d+)$')
              if tonumber(am) ~= tonumber(bm) then return tonumber(am) < tonumber(bm) end
              return tonumber(as) < tonumber(bs)
            end
            local target
            for _, g in ipairs(groups) do
              local info = {}
              for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
              local first
              local pending = redis.call('XPENDING', KEYS[1], info['name'])
              if pending[1] > 0 then
                first = pending[2]
              else
                local next = redis.call('XRANGE', KEYS[1], '(' .. info['last-delivered-id'], '+', 'COUNT', 1)
                if #next > 0 then first = next[1][1] end
              end
              if first and (not target or before(first, target)) then target = first end
            end
            local keep = tonumber(ARGV[1])
            if keep > 0 then
              local t = redis.call('TIME')
              local kept = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - keep
              if not target or kept <= tonumber(string.match(target, '^(%d+)')) then
                target = string.format('%.0f', kept) .. '-0'
              end
            end
            if target then return redis.call('XTRIM', KEYS[1], 'MINID', target) end
            return redis.call('XTRIM', KEYS[1], 'MAXLEN', 0)""";

    /** Removes the history every group of the stream acknowledged (see {@link #TRIM_ACKNOWLEDGED}). */
    public long trimAcknowledged() {
        return trimAcknowledged(Duration.ZERO);
    }

    /** Removes acknowledged history older than {@code keep}. */
    public long trimAcknowledged(Duration keep) {
        return (Long) redis.eval(TRIM_ACKNOWLEDGED, List.of(key), List.of(Long.toString(keep.toMillis())));
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
        eachDelivered((pending, entry) -> entries.add(entry));
        return entries;
    }

    /** Each entry delivered and not acknowledged, with what the pending list says of it. */
    private void eachDelivered(BiConsumer<StreamPendingEntry, StreamEntry> each) {
        for (StreamPendingEntry pending : redis.xpending(key, group,
                XPendingParams.xPendingParams(StreamEntryID.MINIMUM_ID, StreamEntryID.MAXIMUM_ID, Integer.MAX_VALUE))) {
            redis.xrange(key, pending.getID(), pending.getID(), 1).forEach(entry -> each.accept(pending, entry));
        }
    }

    /**
     * A delivered entry not yet acknowledged: where it is (its stream's key and its id there), the value of the field
     * asked for, and how long it is idle.
     */
    public record Pending(String key, String entryId, String value, long idleMillis) {

        /** Names the entry among every stream's. */
        public String id() {
            return key + " " + entryId;
        }
    }

    /** The entries delivered and not acknowledged, with the value of their {@code field} (null where absent). */
    public List<Pending> pending(String field) {
        List<Pending> delivered = new ArrayList<>();
        if (info() != null) { // else nothing delivered yet
            eachDelivered((pending, entry) -> delivered.add(new Pending(key, entry.getID().toString(),
                    entry.getFields().get(field), pending.getIdleTime())));
        }
        return delivered;
    }

    /**
     * Takes a delivered entry over for {@code consumer}, if it is still idle for {@code minIdle} (its member did not
     * renew it meanwhile): that member's next renewal finds it lost, and its run stops (StreamLease).
     *
     * @return whether it was taken
     */
    public boolean takeOver(String entryId, String consumer, Duration minIdle) {
        return !redis.xclaimJustId(key, group, consumer, minIdle.toMillis(), XClaimParams.xClaimParams(),
                new StreamEntryID(entryId)).isEmpty();
    }

    /**
     * Acknowledges an entry {@code consumer} took over and finished with, if it still has it: one that a worker
     * claimed meanwhile (the take-over held for a lease) is that worker's to settle.
     */
    public void acknowledge(String entryId, String consumer) {
        new StreamGroup(redis, key, group).ack(consumer, new StreamEntryID(entryId));
    }

    /** The group as XINFO GROUPS shows it, or null when it does not exist yet. */
    public StreamGroupInfo info() {
        if (!redis.exists(key)) {
            return null;
        }
        return redis.xinfoGroups(key).stream().filter(g -> g.getName().equals(group)).findFirst().orElse(null);
    }
}
