package io.videotranscoder.webhook;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HostTurnsTest {

    @Test
    void a_host_has_at_most_half_of_the_senders_and_gets_a_turn_back_when_an_attempt_ends() {
        HostTurns turns = HostTurns.forSenders(4);

        assertEquals("hooks.example", turns.take("https://hooks.example/a"));
        assertEquals("hooks.example", turns.take("https://HOOKS.example:8443/b"), "the host, whatever its case or port");
        assertNull(turns.take("https://hooks.example/c"), "two under way");
        assertEquals("other.example", turns.take("https://other.example/"), "another host has its own");
        turns.give("hooks.example");
        assertEquals("hooks.example", turns.take("https://hooks.example/c"));
    }

    @Test
    void one_sender_still_sends() {
        HostTurns turns = HostTurns.forSenders(1);
        assertEquals("hooks.example", turns.take("http://hooks.example/"));
        assertNull(turns.take("http://hooks.example/"));
    }
}
