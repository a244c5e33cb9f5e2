package io.videotranscoder.access;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protected mode's trusted addresses, and the modes TRANSCODER_AUTH names. */
class TrustedAddressesTest {

    @Test
    void loopback_is_trusted_by_default_and_nothing_else() {
        TrustedAddresses loopback = TrustedAddresses.parse("127.0.0.0/8,::1");

        assertTrue(loopback.trusts("127.0.0.1"));
        assertTrue(loopback.trusts("127.1.2.3"));
        assertTrue(loopback.trusts("0:0:0:0:0:0:0:1"));
        assertTrue(loopback.trusts("::1"));
        assertFalse(loopback.trusts("10.0.0.7"));
        assertFalse(loopback.trusts("172.17.0.1"));
        assertFalse(loopback.trusts("fe80::1"));
    }

    @Test
    void blocks_and_single_addresses_are_read() {
        TrustedAddresses office = TrustedAddresses.parse(" 10.1.0.0/16 , 192.168.0.9, fd00::/8");

        assertTrue(office.trusts("10.1.255.3"));
        assertFalse(office.trusts("10.2.0.1"));
        assertTrue(office.trusts("192.168.0.9"));
        assertFalse(office.trusts("192.168.0.10"));
        assertTrue(office.trusts("fd12::5"));
        assertFalse(TrustedAddresses.parse("").trusts("127.0.0.1"));
    }

    @Test
    void auth_is_on_off_or_unset_for_protected_mode() {
        assertEquals(AuthMode.PROTECTED, AuthMode.of(""));
        assertEquals(AuthMode.PROTECTED, AuthMode.of(null));
        assertEquals(AuthMode.ON, AuthMode.of("on"));
        assertEquals(AuthMode.OFF, AuthMode.of(" OFF "));
        assertThrows(StartRefusal.class, () -> AuthMode.of("yes"));
    }
}
