package io.videotranscoder.webhook;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HostTurnsTest {

    private final AtomicLong now = new AtomicLong();
    private final HostTurns turns = new HostTurns(2, Duration.ofSeconds(1), now::get);

    @Test
    void a_host_that_answers_at_once_is_not_bounded() {
        for (int i = 0; i < 4; i++) {
            assertEquals("hooks.example", turns.take("https://hooks.example/" + i));
        }
        turns.give("hooks.example", Duration.ofMillis(20));
        assertEquals("hooks.example", turns.take("https://hooks.example/again"));
    }

    @Test
    void a_slow_host_has_at_most_its_turns_until_a_minute_after_it_was_last_slow() {
        assertEquals("hooks.example", turns.take("https://hooks.example/a"));
        turns.give("hooks.example", Duration.ofSeconds(15)); // timed out: slow
        assertEquals("hooks.example", turns.take("https://HOOKS.example:8443/b"),
                "the host, whatever its case or port");
        assertEquals("hooks.example", turns.take("https://hooks.example/c"));
        assertNull(turns.take("https://hooks.example/d"), "two under way");
        assertEquals("other.example", turns.take("https://other.example/"), "another host has its own");

        turns.give("hooks.example", Duration.ofSeconds(15));
        assertEquals("hooks.example", turns.take("https://hooks.example/d"), "one ended");
        assertNull(turns.take("https://hooks.example/e"));

        now.addAndGet(HostTurns.MEMORY.toNanos());
        assertEquals("hooks.example", turns.take("https://hooks.example/e"), "no longer slow");
    }

    /** Job callbacks may name any number of hosts: those that were slow long ago are not kept for ever. */
    @Test
    void hosts_slow_long_ago_are_forgotten() {
        for (int i = 0; i < 300; i++) {
            turns.take("https://h" + i + ".example/");
            turns.give("h" + i + ".example", Duration.ofSeconds(15));
        }
        now.addAndGet(HostTurns.MEMORY.toNanos());
        turns.take("https://last.example/");
        turns.give("last.example", Duration.ofMillis(5));
        assertEquals(0, turns.known());
    }

    @Test
    void one_sender_still_sends_and_slow_is_a_second_or_half_the_timeout() {
        HostTurns one = HostTurns.forSenders(1, Duration.ofSeconds(15));
        assertEquals(1, one.perHost());
        HostTurns quick = HostTurns.forSenders(4, Duration.ofMillis(600));
        assertEquals("h", quick.take("http://h/"));
        quick.give("h", Duration.ofMillis(300)); // half the timeout: slow
        quick.take("http://h/");
        quick.take("http://h/");
        assertNull(quick.take("http://h/"));
    }
}
