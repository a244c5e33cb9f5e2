package io.videotranscoder.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObjectRelayTest {

    @Test
    void a_range_is_relayed_only_from_a_206_of_that_range() {
        assertTrue(ObjectRelay.sends(206, "bytes 100-199/1000", "100", 100, 100, 1000));
        assertFalse(ObjectRelay.sends(206, "bytes 0-99/1000", "100", 100, 100, 1000), "another range");
        assertFalse(ObjectRelay.sends(206, null, "100", 100, 100, 1000), "no Content-Range");
        assertFalse(ObjectRelay.sends(206, "bytes 100-199/1000", "1000", 100, 100, 1000), "more bytes than asked");
    }

    @Test
    void a_store_that_ignores_range_is_relayed_only_when_the_whole_object_was_asked_for() {
        assertFalse(ObjectRelay.sends(200, null, "1000", 100, 100, 1000), "the whole object for a range");
        assertTrue(ObjectRelay.sends(200, null, "1000", 0, 1000, 1000));
        assertTrue(ObjectRelay.sends(200, null, null, 0, 1000, 1000), "chunked, no length");
        assertFalse(ObjectRelay.sends(200, null, "999", 0, 1000, 1000), "the object changed size");
        assertFalse(ObjectRelay.sends(204, null, null, 0, 1000, 1000));
    }
}
