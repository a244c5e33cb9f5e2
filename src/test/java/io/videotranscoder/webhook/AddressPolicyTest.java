package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressPolicyTest {

    private static final AddressPolicy NONE_ALLOWED = AddressPolicy.allowing("");

    @ParameterizedTest
    @CsvSource({"127.0.0.1, loopback", "127.255.0.9, loopback", "10.1.2.3, private", "172.16.0.1, private",
        "172.31.255.255, private", "192.168.1.1, private", "169.254.169.254, link-local", "100.64.0.1, carrier-grade",
        "100.127.255.254, carrier-grade", "0.0.0.0, this-network", "0.1.2.3, this-network", "224.0.0.1, multicast",
        "239.255.255.250, multicast", "255.255.255.255, reserved", "::1, loopback", "::, unspecified",
        "fe80::1, link-local", "fc00::1, unique local", "fd12:3456::1, unique local", "ff02::1, multicast",
        "::ffff:127.0.0.1, loopback", "::ffff:10.0.0.1, private", "::ffff:169.254.169.254, link-local",
        "192.0.0.192, IETF protocol", "192.0.2.1, documentation", "198.18.0.1, benchmarking",
        "198.19.255.254, benchmarking", "198.51.100.7, documentation", "203.0.113.9, documentation",
        "192.88.99.1, 6to4 relay", "64:ff9b:1::a00:1, local-use NAT64", "100::1, discard-only",
        "2001:2::1, benchmarking", "2001:db8::1, documentation", "2002:7f00:1::1, 6to4",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo"})
    void refuses_internal_addresses_saying_what_they_are(String address, String kind) throws Exception {
        AddressRefused refused = assertThrows(AddressRefused.class,
                () -> NONE_ALLOWED.check(address, new InetAddress[] {InetAddress.getByName(address)}));

        assertTrue(refused.getMessage().contains(kind), refused.getMessage());
        assertTrue(refused.getMessage().startsWith(address + " is "), refused.getMessage());
    }

    /**
     * A name resolving to an internal address is refused without the address or what it is: the answer would map the
     * service's network (split-horizon names, metadata endpoints) for any client that may set a webhook.
     */
    @Test
    void refuses_a_name_resolving_inside_without_telling_where() throws Exception {
        AddressRefused refused = assertThrows(AddressRefused.class, () -> NONE_ALLOWED.check("redis.internal",
                new InetAddress[] {InetAddress.getByName("10.0.3.7")}));

        assertEquals(AddressPolicy.notPublic("redis.internal"), refused.getMessage());
        assertFalse(refused.getMessage().contains("10.0.3.7"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
        "100.63.255.255", "192.169.0.1", "11.0.0.1", "192.0.1.1", "198.20.0.1", "2001:4860::8888", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
    void allows_public_addresses(String address) throws Exception {
        assertDoesNotThrow(() -> NONE_ALLOWED.check("hook.example",
                new InetAddress[] {InetAddress.getByName(address)}));
    }

    @Test
    void ipv4_carried_in_ipv6_is_judged_as_the_ipv4_address() {
        // Java turns ::ffff:a.b.c.d into an IPv4 address when it parses one; raw 16-byte forms are classified too.
        assertEquals("a loopback address written as IPv6",
                AddressPolicy.classify(HexFormat.of().parseHex("00000000000000000000ffff7f000001")).orElseThrow());
        assertEquals("a private address written as IPv6",
                AddressPolicy.classify(HexFormat.of().parseHex("0064ff9b0000000000000000c0a80001")).orElseThrow());
        assertEquals("a link-local address written as IPv6",
                AddressPolicy.classify(HexFormat.of().parseHex("000000000000000000000000a9fea9fe")).orElseThrow());
        assertEquals("a private address written as IPv6", AddressPolicy.classify(HexFormat.of()
                .parseHex("0000000000000000ffff00000a000001")).orElseThrow(), "translated (SIIT): ::ffff:0:10.0.0.1");
        assertTrue(AddressPolicy.classify(HexFormat.of().parseHex("00000000000000000000ffff08080808")).isEmpty());
    }

    @Test
    void one_internal_address_among_public_ones_refuses_the_host() throws Exception {
        InetAddress[] mixed = {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.5")};

        assertThrows(AddressRefused.class, () -> NONE_ALLOWED.check("hook.example", mixed));
    }

    @Test
    void the_allowlist_names_hosts_and_address_blocks() throws Exception {
        AddressPolicy policy = AddressPolicy.allowing(" receiver.internal , 10.20.0.0/16,127.0.0.1, fd00::/8");
        InetAddress[] loopback = {InetAddress.getByName("127.0.0.1")};

        assertDoesNotThrow(() -> policy.check("RECEIVER.internal.", new InetAddress[] {
            InetAddress.getByName("192.168.9.9")}));
        assertDoesNotThrow(() -> policy.check("a.example", new InetAddress[] {InetAddress.getByName("10.20.3.4")}));
        assertDoesNotThrow(() -> policy.check("a.example", loopback));
        assertDoesNotThrow(() -> policy.check("a.example", new InetAddress[] {InetAddress.getByName("fd00::5")}));
        assertThrows(AddressRefused.class,
                () -> policy.check("a.example", new InetAddress[] {InetAddress.getByName("10.21.0.1")}));
        assertThrows(AddressRefused.class,
                () -> policy.check("a.example", new InetAddress[] {InetAddress.getByName("127.0.0.2")}));
        assertThrows(AddressRefused.class, () -> policy.check("other.internal", new InetAddress[] {
            InetAddress.getByName("192.168.9.9")}));
    }

    @Test
    void a_malformed_allowlist_entry_is_refused_at_start() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressPolicy.allowing("10.0.0.0/99"));
        assertTrue(e.getMessage().contains("TRANSCODER_WEBHOOK_ALLOWLIST"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.allowing("http://x.example/"));
    }

    @Test
    void blocks_match_by_prefix_length() {
        Cidr block = Cidr.parse("172.16.0.0/12").orElseThrow();

        assertTrue(block.contains(new byte[] {(byte) 172, 31, 0, 1}));
        assertTrue(!block.contains(new byte[] {(byte) 172, 32, 0, 1}));
        assertTrue(Cidr.parse("not-an-address").isEmpty());
        assertTrue(Cidr.parse("1.2.3").isEmpty()); // never handed to a lookup
    }
}
