package io.videotranscoder.access;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Host a request without a key may name: this machine's, an address, or a name the operator lists. */
class KeylessHostsTest {

    @Test
    void this_machine_and_addresses_are_allowed_other_names_are_not() {
        KeylessHosts hosts = KeylessHosts.parse("", "");
        for (String host : new String[] {"localhost", "localhost:8080", "LOCALHOST.", "app.localhost:8080",
                "127.0.0.1:8080", "192.168.1.20", "[::1]:8080", "[fe80::1%25eth0]", null}) {
            assertTrue(hosts.allows(host), String.valueOf(host));
        }
        for (String host : new String[] {"rebind.example", "rebind.example:8080", "localhost.rebind.example",
                "127.0.0.1.nip.io", "", "[::1]x", "transcoder"}) {
            assertFalse(hosts.allows(host), host);
        }
    }

    @Test
    void listed_names_and_the_public_urls_host_are_allowed() {
        KeylessHosts hosts = KeylessHosts.parse(" Transcoder , media.internal", "https://video.example.com/api");
        assertTrue(hosts.allows("transcoder:8080"));
        assertTrue(hosts.allows("MEDIA.internal"));
        assertTrue(hosts.allows("video.example.com"));
        assertFalse(hosts.allows("other.example.com"));
        assertTrue(KeylessHosts.parse("*", "").allows("anything.example"));
        assertTrue(KeylessHosts.parse("video_transcoder", "").allows("video_transcoder:8080"), "a compose name");
        assertTrue(KeylessHosts.parse("", "http://video_transcoder:8080/").allows("video_transcoder:8080"));
    }

    @Test
    void a_list_entry_that_is_not_a_name_stops_the_start() {
        assertThrows(StartRefusal.class, () -> KeylessHosts.parse("transcoder:8080", ""));
        assertThrows(StartRefusal.class, () -> KeylessHosts.parse("http://transcoder", ""));
    }
}
