package io.videotranscoder.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a process goes by: its configured name, else its host's, alike for its stream consumers, its inbox claims and
 * its uploads' holder (with no name configured and no HOSTNAME, uploads recorded none, and their loss went unseen).
 */
class HostNameTest {

    @Test
    void the_configured_name_else_the_hosts() {
        assertEquals("api-1", HostName.or("api-1"));
        assertEquals(HostName.get(), HostName.or(""));
        assertEquals(HostName.get(), HostName.or(null));
        assertFalse(HostName.or("").isBlank());
    }
}
