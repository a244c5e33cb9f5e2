package io.videotranscoder.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XTrimParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log as streams read it, and the history the webhooks' trimming leaves them, on a real Redis. */
class EventLogTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    /** A log kept long enough for any id since 1970. */
    private static final Duration EVER = Duration.ofDays(365L * 100);
    private String key;
    private EventLog log;

    @BeforeEach
    void fresh() {
        key = "log:" + System.nanoTime();
        log = new EventLog(SERVER.client(), key, EVER); // these tests' ids are of 1970
    }

    private StreamEntryID add(String id, String job) {
        return SERVER.client().xadd(key, XAddParams.xAddParams().id(id), Map.of("type", "job.queued", "job", job,
                "status", "queued", "at", "1000", "tenant", "default", "progress", "0"));
    }

    private static List<String> ids(List<LoggedEvent> events) {
        return events.stream().map(e -> e.id().toString()).toList();
    }

    @Test
    void the_head_is_the_last_id_ever_added_even_once_trimmed_away() {
        assertEquals(new StreamEntryID(0, 0), log.head());
        add("1000-0", "a");
        add("2000-0", "b");
        SERVER.client().xtrim(key, 0, false);

        assertEquals(new StreamEntryID(2000, 0), log.head());
    }

    /**
     * Past the most events a replay holds for the client, or the most entries it reads, the stream begins again rather
     * than have the whole log read and held for it. The first counts the client's own events only: other tenants'
     * entries that followed its position never decide it.
     */
    @Test
    void a_resume_is_replayed_what_its_filter_takes_unless_too_much_follows() {
        for (int i = 1; i <= 5; i++) {
            add(i + "000-0", i % 2 == 0 ? "a" : "b");
        }
        StreamEntryID from = new StreamEntryID(1000, 0);

        EventLog.Missed missed = log.missed(from, EventFilter.job("a", null), 2, 2, 4);
        assertEquals(List.of("2000-0", "4000-0"), ids(missed.events()));
        assertEquals(new StreamEntryID(5000, 0), missed.readTo());
        assertNull(log.missed(from, EventFilter.job("a", null), 2, 1, 4), "two of its events follow");
        assertNull(log.missed(from, EventFilter.job("a", null), 2, 2, 3), "four entries follow");
        assertEquals(List.of("2000-0", "4000-0"), ids(log.missed(from, EventFilter.job("a", null), 2, 2, 100)
                .events()), "others' entries count towards the reading only");
        assertEquals(List.of(), log.missed(new StreamEntryID(9000, 0), EventFilter.job("a", null), 2, 2, 4).events(),
                "past the head: nothing to replay, and nothing said of the head");
        assertNull(log.missed(new StreamEntryID(System.currentTimeMillis() + 3_600_000, 0), EventFilter.job("a", null),
                2, 2, 4), "ahead of Redis's clock");
    }

    /**
     * A quiet position is Redis's current millisecond, made the log's head: every entry added after it follows it,
     * whatever Redis's clock does next (an id Redis makes always follows the head), and a resume from it is replayed
     * them.
     */
    @Test
    void a_quiet_position_is_made_the_head_and_every_entry_added_after_follows_it() {
        add("1000-0", "a");

        EventLog.Quiet quiet = log.quiet();
        StreamEntryID next = SERVER.client().xadd(key, XAddParams.xAddParams(), Map.of("type", "job.queued", "job",
                "b", "status", "queued", "at", "1000", "tenant", "default", "progress", "0"));

        assertEquals(new StreamEntryID(1000, 0), quiet.lastEntry());
        assertTrue(Math.abs(quiet.position().getTime() - System.currentTimeMillis()) < 5_000
                   && quiet.position().getSequence() == 0, "Redis's current millisecond: " + quiet);
        assertTrue(next.compareTo(quiet.position()) > 0, quiet + " then " + next);
        assertEquals(List.of(next.toString()), ids(log.missed(quiet.position(), EventFilter.job("b", null), 10, 10, 10)
                .events()), "a resume from it is replayed what followed");

        EventLog.Quiet again = log.quiet();
        assertEquals(next, again.lastEntry());
        assertTrue(again.position().compareTo(next) > 0, again + " after " + next);
        assertEquals(again.position(), log.head(), "made the head");

        // The head in the current millisecond already: the id just after it, never the entry's own.
        StreamEntryID ahead = add((System.currentTimeMillis() + 60_000) + "-5", "c");
        assertEquals(new StreamEntryID(ahead.getTime(), 6), log.quiet().position());
    }

    /** Redis full (its writes refused, maxmemory with noeviction): streams still open and stand somewhere. */
    @Test
    void a_quiet_position_is_made_while_redis_refuses_writes() {
        add("1000-0", "a");
        SERVER.client().configSet("maxmemory-policy", "noeviction");
        SERVER.client().configSet("maxmemory", "1");
        try {
            assertTrue(log.quiet().position().compareTo(new StreamEntryID(1000, 0)) > 0);
        } finally {
            SERVER.client().configSet("maxmemory", "0");
        }
    }

    @Test
    void a_replay_reads_what_follows_while_nothing_after_it_was_trimmed() {
        add("1000-0", "a");
        add("2000-0", "b");
        add("3000-0", "c");

        assertEquals(List.of("2000-0", "3000-0"), ids(log.replay(new StreamEntryID(1000, 0), 10)));
        assertEquals(List.of("1000-0", "2000-0", "3000-0"), ids(log.replay(new StreamEntryID(0, 0), 10)),
                "nothing was ever removed: the start of a fresh log is kept");
        assertEquals(List.of("2000-0"), ids(log.replay(new StreamEntryID(1000, 0), 1)));
        assertEquals(List.of(), ids(log.replay(new StreamEntryID(3000, 0), 10)));
        assertEquals("b", log.replay(new StreamEntryID(1000, 0), 1).get(0).event().job());
    }

    /**
     * A position is refused by time alone (older than the log keeps, or ahead of the clock) or past a deletion: never
     * by the entries of other tenants that came before or after it (the first entry kept, the head).
     */
    @Test
    void a_replay_from_older_than_the_log_keeps_ahead_of_the_clock_or_before_a_deletion_is_refused() {
        EventLog hour = new EventLog(SERVER.client(), key, Duration.ofHours(1));
        long now = System.currentTimeMillis();
        add((now - 7_200_000) + "-0", "a");
        StreamEntryID recent = add((now - 1_800_000) + "-0", "b");
        StreamEntryID latest = add("*", "c");
        SERVER.client().xtrim(key, XTrimParams.xTrimParams().minId((now - 3_600_000) + "-0")); // a is gone

        assertNull(hour.replay(new StreamEntryID(now - 7_300_000, 0), 10), "older than the hour kept: a was missed");
        assertEquals(List.of(recent.toString(), latest.toString()),
                ids(hour.replay(new StreamEntryID(now - 3_000_000, 0), 10)), "within the hour, before the first kept");
        assertEquals(List.of(), ids(hour.replay(new StreamEntryID(latest.getTime(), latest.getSequence() + 1), 10)),
                "past the head");
        assertNull(hour.replay(new StreamEntryID(now + 3_600_000, 0), 10), "ahead of Redis's clock: another log's");
        SERVER.client().xdel(key, recent);
        assertNull(hour.replay(new StreamEntryID(now - 3_000_000, 0), 10), "a deleted entry was missed");
        assertNull(new EventLog(SERVER.client(), key + ":none", Duration.ofHours(1))
                .replay(new StreamEntryID(now - 60_000, 0), 10), "no log (flushed): what it held may be missed");
    }

    @Test
    void the_webhooks_trimming_keeps_acknowledged_entries_younger_than_the_replay_window() {
        add("1000-0", "old");
        StreamEntryID young = add("*", "young");
        SERVER.client().xgroupCreate(key, "webhooks", new StreamEntryID(0, 0), false);
        SERVER.client().xreadGroup("webhooks", "c", XReadGroupParams.xReadGroupParams(),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        SERVER.client().xack(key, "webhooks", new StreamEntryID(1000, 0), young);
        GroupBacklog backlog = new GroupBacklog(SERVER.client(), key, "webhooks");

        backlog.trimAcknowledged(Duration.ofHours(1));
        assertEquals(List.of(young.toString()), ids(log.after(new StreamEntryID(0, 0), 10)));

        backlog.trimAcknowledged();
        assertEquals(List.of(), ids(log.after(new StreamEntryID(0, 0), 10)));
    }

    @Test
    void trimming_keeps_what_any_group_has_not_acknowledged() {
        add("1000-0", "a");
        add("2000-0", "b");
        add("3000-0", "c");
        for (String group : List.of("webhooks", "inbox")) {
            SERVER.client().xgroupCreate(key, group, new StreamEntryID(0, 0), false);
        }
        SERVER.client().xreadGroup("webhooks", "c", XReadGroupParams.xReadGroupParams(),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        SERVER.client().xack(key, "webhooks", new StreamEntryID(1000, 0), new StreamEntryID(2000, 0),
                new StreamEntryID(3000, 0));
        // The inbox has read a and b, and finished a only.
        SERVER.client().xreadGroup("inbox", "c", XReadGroupParams.xReadGroupParams().count(2),
                Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        SERVER.client().xack(key, "inbox", new StreamEntryID(1000, 0));

        new GroupBacklog(SERVER.client(), key, "webhooks").trimAcknowledged();

        assertEquals(List.of("2000-0", "3000-0"), ids(log.after(new StreamEntryID(0, 0), 10)));
    }
}
