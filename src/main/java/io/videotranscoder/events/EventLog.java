package io.videotranscoder.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.videotranscoder.redis.RedisClockLua;
import io.videotranscoder.redis.StreamIdsLua;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads the job event log for the streams: where it ends, what follows a position, and whether a position a client
 * resumes from is still covered (nothing after it trimmed away).
 */
public final class EventLog {

    /** Compares two entry ids; the log's head is {@code last-generated-id}. */
    private static final String IDS = StreamIdsLua.OLDER + """
            local function info(key)
              local f = {}
              local raw = redis.call('XINFO', 'STREAM', key)
              for i = 1, #raw, 2 do f[raw[i]] = raw[i + 1] end
              return f
            end
            """;

    private static final String HEAD = IDS + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return '0-0' end
            return info(KEYS[1])['last-generated-id']""";

    /**
     * {the last entry, a quiet position}: the current millisecond, or the id just after the head where the head is
     * that far already (an entry of this millisecond, or another process's quiet position), made the log's head
     * (XSETID) so that every entry added after it follows it whatever Redis's clock does next. A log not made yet
     * cannot be moved: the millisecond before, which every entry added after it follows while the clock does not step
     * back. Allowed when Redis is full (its writes refused): it adds nothing, and streams must still open.
     */
    private static final String QUIET = "#!lua flags=allow-oom\n" + IDS + RedisClockLua.NOW + """
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return {'0-0', string.format('%.0f', now - 1) .. '-999999999'}
            end
            local head = info(KEYS[1])['last-generated-id']
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local quiet = string.format('%.0f', now) .. '-0'
            if not older(head, quiet) then
              local ms, seq = split(head)
              quiet = string.format('%.0f', ms) .. '-' .. string.format('%.0f', seq + 1)
            end
            redis.call('XSETID', KEYS[1], quiet)
            return {#last > 0 and last[1][1] or '0-0', quiet}""";

    /**
     * {'kept', entries after ARGV[1]} while nothing after ARGV[1] can have been removed, else {'gone'}. Trimming
     * removes only entries older than the time the log keeps ARGV[3] ms ({@code GroupBacklog.trimAcknowledged}): an
     * id older than that counts as gone, and one before the largest entry ever deleted (XDEL) too, and any where the
     * log is gone (a flush); an id ahead of Redis's clock is none of this log's. Nothing else decides, neither the
     * first entry kept nor the head, which other tenants' jobs move: whether a position is replayed tells a tenant
     * nothing of them.
     */
    private static final String REPLAY = IDS + RedisClockLua.NOW + """
            local ms = split(ARGV[1])
            if ms > now or ms < now - tonumber(ARGV[3]) then return {'gone'} end
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone'} end
            local deleted = info(KEYS[1])['max-deleted-entry-id'] or '0-0'
            if older(ARGV[1], deleted) then return {'gone'} end
            return {'kept', redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}""";

    /** Entries read at a time, for a resuming stream or the live reader. */
    static final int PAGE = 200;
    /** The most events a resuming stream is replayed: past that, it begins again (a reset). */
    private static final int MOST_REPLAYED = 2000;
    /** The most entries of the log, every tenant's, read for a resuming stream: past that, it begins again too. */
    private static final int MOST_READ = 50_000;

    private final UnifiedJedis redis;
    private final String key;
    private final Duration kept;

    /** @param kept how long the log keeps entries (TRANSCODER_EVENT_REPLAY_MINUTES), as its trimming does */
    public EventLog(UnifiedJedis redis, String key, Duration kept) {
        this.redis = redis;
        this.key = key;
        this.kept = kept;
    }

    /**
     * The log's head ({@code 0-0} before the first entry): the last entry ever added, or the quiet position made the
     * head since ({@link #quiet}). The live reader reads what follows it.
     */
    public StreamEntryID head() {
        return new StreamEntryID((String) redis.eval(HEAD, List.of(key), List.of()));
    }

    /**
     * The log's last entry, and a quiet position: Redis's current millisecond, which names no entry and which every
     * entry added from then on follows. A stream that has seen every entry up to the last stands there too; sent as
     * its id, it tells the client nothing of when entries it did not take were added.
     */
    public record Quiet(StreamEntryID lastEntry, StreamEntryID position) {
    }

    /** The last entry and a quiet position, read at one instant; the position is made the log's head. */
    @SuppressWarnings("unchecked")
    public Quiet quiet() {
        List<Object> answer = (List<Object>) redis.eval(QUIET, List.of(key), List.of());
        return new Quiet(new StreamEntryID((String) answer.get(0)), new StreamEntryID((String) answer.get(1)));
    }

    /** What a stream resuming after a position missed, as far as the log went when it was read. */
    public record Missed(List<LoggedEvent> events, StreamEntryID readTo) {
    }

    /**
     * The entries after {@code from} that {@code filter} takes, read {@code page} at a time; null when an entry
     * after it may no longer be kept (see {@link #replay}), when more than {@code mostTaken} of them follow it (held
     * for the client), or more than {@code mostRead} entries in all (read for it, at every reconnect). The first
     * bound counts the client's own events only, so that whether a position is replayed tells a tenant nothing of
     * how many entries other tenants' jobs added; the second, far larger, bounds the reading.
     */
    public Missed missed(StreamEntryID from, EventFilter filter) {
        return missed(from, filter, PAGE, MOST_REPLAYED, MOST_READ);
    }

    /** What {@link #missed(StreamEntryID, EventFilter)} reads, with the bounds given. */
    Missed missed(StreamEntryID from, EventFilter filter, int page, int mostTaken, int mostRead) {
        List<LoggedEvent> missed = new ArrayList<>();
        StreamEntryID readTo = from;
        List<LoggedEvent> read;
        int readCount = 0;
        do {
            read = replay(readTo, page);
            readCount += read == null ? 0 : read.size();
            if (read == null || readCount > mostRead) {
                return null;
            }
            for (LoggedEvent event : read) {
                readTo = event.id();
                if (event.takenBy(filter)) {
                    missed.add(event);
                }
            }
            if (missed.size() > mostTaken) {
                return null;
            }
        } while (read.size() == page);
        return new Missed(missed, readTo);
    }

    /** Up to {@code count} entries after {@code from}, oldest first. */
    public List<LoggedEvent> after(StreamEntryID from, int count) {
        List<LoggedEvent> events = new ArrayList<>();
        for (StreamEntry entry : redis.xrange(key, "(" + from, "+", count)) {
            events.add(LoggedEvent.of(entry.getID(), entry.getFields()));
        }
        return events;
    }

    /**
     * Up to {@code count} entries after {@code from}; null when an entry after it may no longer be kept ({@code from}
     * is older than what the log keeps, see {@link #REPLAY}), or lies ahead of Redis's clock (an id of another log),
     * so that a replay never passes over a gap.
     */
    @SuppressWarnings("unchecked")
    public List<LoggedEvent> replay(StreamEntryID from, int count) {
        List<Object> answer = (List<Object>) redis.eval(REPLAY, List.of(key), List.of(from.toString(),
                Integer.toString(count), Long.toString(kept.toMillis())));
        if (!"kept".equals(answer.get(0))) {
            return null;
        }
        List<LoggedEvent> events = new ArrayList<>();
        for (Object item : (List<Object>) answer.get(1)) {
            List<Object> entry = (List<Object>) item;
            List<Object> flat = (List<Object>) entry.get(1);
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put((String) flat.get(i), (String) flat.get(i + 1));
            }
            events.add(LoggedEvent.of(new StreamEntryID((String) entry.get(0)), fields));
        }
        return events;
    }
}
