package io.videotranscoder.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Looks at delivered entries' idle times, on a clock the test moves (a lease of 10 s). */
class AbandonedEntriesTest {

    private final AtomicLong now = new AtomicLong();
    private final AbandonedEntries entries = new AbandonedEntries(Duration.ofSeconds(10), now::get);

    @Test
    void an_entry_renewed_within_the_lease_is_never_abandoned() {
        for (int look = 0; look < 5; look++) {
            assertEquals(false, abandoned("1-0", 3_000 + look));
            later(8);
        }
    }

    @Test
    void an_entry_idle_past_the_lease_is_abandoned_a_lease_after_the_first_look_that_found_it_so() {
        assertEquals(false, abandoned("1-0", 12_000));
        later(5);
        assertEquals(false, abandoned("1-0", 17_000), "half a lease later");
        later(5);
        assertEquals(true, abandoned("1-0", 22_000));
    }

    /** After an outage every entry looks idle since before it; its worker renews it within a lease of Redis's return. */
    @Test
    void an_entry_that_looked_idle_and_was_renewed_since_is_not() {
        assertEquals(false, abandoned("1-0", 3_600_000));
        later(11);
        assertEquals(false, abandoned("1-0", 2_000), "renewed since the last look");
        later(11);
        assertEquals(false, abandoned("1-0", 13_000), "idle past the lease again: looked at once");
        later(11);
        assertEquals(true, abandoned("1-0", 24_000));
    }

    @Test
    void an_entry_no_longer_delivered_is_forgotten() {
        assertEquals(false, abandoned("1-0", 12_000));
        later(11);
        entries.look(List.of());
        assertEquals(false, abandoned("1-0", 23_000), "delivered again: a first look");
    }

    private boolean abandoned(String id, long idleMillis) {
        return entries.look(List.of(new GroupBacklog.Pending("parts", id, "job", idleMillis))).get("parts " + id);
    }

    private void later(int seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }
}
