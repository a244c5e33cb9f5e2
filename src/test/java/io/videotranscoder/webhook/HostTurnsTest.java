package io.videotranscoder.webhook;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostTurnsTest {

    private final AtomicLong now = new AtomicLong();
    private final HostTurns turns = new HostTurns(2, Duration.ofSeconds(1), now::get);

    @Test
    void a_host_that_answers_at_once_is_not_bounded() {
        HostTurns.Turn first = turns.take("https://hooks.example/0", "acme");
        for (int i = 1; i < 4; i++) {
            assertEquals("hooks.example", turns.take("https://hooks.example/" + i, "acme").host());
        }
        turns.give(first, Duration.ofMillis(20));
        assertEquals("hooks.example", turns.take("https://hooks.example/again", "acme").host());
    }

    @Test
    void a_slow_host_has_at_most_its_turns_until_a_minute_after_it_was_last_slow() {
        turns.give(turns.take("https://hooks.example/a", "acme"), Duration.ofSeconds(15)); // timed out: slow
        HostTurns.Turn b = turns.take("https://HOOKS.example:8443/b", "acme");
        assertEquals("hooks.example", b.host(), "the host, whatever its case or port");
        assertEquals("hooks.example", turns.take("https://hooks.example/c", "acme").host());
        assertNull(turns.take("https://hooks.example/d", "acme"), "two under way");
        assertEquals("other.example", turns.take("https://other.example/", "globex").host(),
                "another tenant's host has its own");

        turns.give(b, Duration.ofSeconds(15));
        assertEquals("hooks.example", turns.take("https://hooks.example/d", "acme").host(), "one ended");
        assertNull(turns.take("https://hooks.example/e", "acme"));

        now.addAndGet(HostTurns.MEMORY.toNanos());
        assertEquals("hooks.example", turns.take("https://hooks.example/e", "acme").host(), "no longer slow");
    }

    /**
     * Two hosts that never answer (two tenants', or one tenant's two names) take no more senders between them than one
     * may: the other half of them stays for every other receiver.
     */
    @Test
    void slow_hosts_together_have_at_most_the_turns_of_one() {
        turns.give(turns.take("https://a.tarpit.example/", "acme"), Duration.ofSeconds(15));
        turns.give(turns.take("https://b.tarpit.example/", "globex"), Duration.ofSeconds(15));

        assertNotNull(turns.take("https://a.tarpit.example/", "acme"));
        assertNotNull(turns.take("https://b.tarpit.example/", "globex"));
        assertNull(turns.take("https://a.tarpit.example/", "acme"), "the slow receivers' turns are all taken");
        assertNull(turns.take("https://b.tarpit.example/", "globex"));
        assertNotNull(turns.take("https://fast.example/", "initech"), "a receiver that answers is not held back");
    }

    /** A tenant that names a new host for each job (a name under a wildcard) is slow once one of its hosts was. */
    @Test
    void a_new_host_of_a_tenant_slow_lately_is_slow_too() {
        turns.give(turns.take("https://job-1.tarpit.example/", "acme"), Duration.ofSeconds(15));

        HostTurns.Turn second = turns.take("https://job-2.tarpit.example/", "acme");
        assertTrue(second.slow(), "counted among the slow receivers' turns");
        turns.take("https://job-3.tarpit.example/", "acme");
        assertNull(turns.take("https://job-4.tarpit.example/", "acme"));
    }

    /** Job callbacks may name any number of hosts: those that were slow long ago are not kept for ever. */
    @Test
    void hosts_slow_long_ago_are_forgotten() {
        for (int i = 0; i < 300; i++) {
            HostTurns.Turn turn = turns.take("https://h" + i + ".example/", "t" + i);
            turns.give(turn, Duration.ofSeconds(15));
            now.addAndGet(1); // each on its own, its turns given back
        }
        now.addAndGet(HostTurns.MEMORY.toNanos());
        turns.give(turns.take("https://last.example/", "t-last"), Duration.ofMillis(5));
        assertEquals(0, turns.known());
    }

    @Test
    void one_sender_still_sends_and_slow_is_a_second_or_half_the_timeout() {
        HostTurns one = HostTurns.forSenders(1, Duration.ofSeconds(15));
        assertEquals(1, one.perHost());
        HostTurns quick = HostTurns.forSenders(4, Duration.ofMillis(600));
        quick.give(quick.take("http://h/", "t"), Duration.ofMillis(300)); // half the timeout: slow
        quick.take("http://h/", "t");
        quick.take("http://h/", "t");
        assertNull(quick.take("http://h/", "t"));
    }
}
