package io.videotranscoder.events;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdTest {

    @Test
    void an_entry_id_is_its_own_event_id() {
        EventId id = EventId.parse("1796115965862-0").orElseThrow();

        assertEquals(new StreamEntryID(1796115965862L, 0), id.position());
        assertEquals(0, id.reading());
        assertEquals("1796115965862-0", id.toString());
    }

    @Test
    void readings_after_an_entry_count_up_from_it_and_read_back() {
        EventId second = EventId.at(new StreamEntryID(1796115965862L, 3)).nextReading().nextReading();

        assertEquals("1796115965862-3~2", second.toString());
        assertEquals(Optional.of(second), EventId.parse("1796115965862-3~2"));
    }

    @Test
    void what_the_service_never_gives_is_no_id() {
        for (String text : new String[] {null, "", "abc", "12", "12-", "-3", "1-2~", "1-2~x", "1-2-3", "1-2 ~3",
            "99999999999999999999-0", "1-2~9999999999"}) {
            assertTrue(EventId.parse(text).isEmpty(), text);
        }
    }
}
