package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which addresses a webhook may be sent to: any public one, none of the blocks that reach this machine, its networks
 * or other internal services (loopback, private, link-local, CGNAT, this-network, multicast, reserved, unique local,
 * the other blocks IANA's special-purpose registries mark not globally reachable, and IPv4 addresses written as IPv6),
 * unless the allow-list names the host or a block holding the address.
 */
public final class AddressPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(AddressPolicy.class);
    private static final Map<Cidr, String> REFUSED = new LinkedHashMap<>();

    static {
        refuse("0.0.0.0/8", "a this-network address");
        refuse("10.0.0.0/8", "a private address");
        refuse("100.64.0.0/10", "a carrier-grade NAT address");
        refuse("127.0.0.0/8", "a loopback address");
        refuse("169.254.0.0/16", "a link-local address");
        refuse("172.16.0.0/12", "a private address");
        refuse("192.168.0.0/16", "a private address");
        refuse("192.0.0.0/24", "an IETF protocol assignment");
        refuse("192.0.2.0/24", "a documentation address");
        refuse("192.88.99.0/24", "a 6to4 relay address");
        refuse("198.18.0.0/15", "a benchmarking address");
        refuse("198.51.100.0/24", "a documentation address");
        refuse("203.0.113.0/24", "a documentation address");
        refuse("224.0.0.0/4", "a multicast address");
        refuse("240.0.0.0/4", "a reserved address");
        refuse("::/128", "the unspecified address");
        refuse("::1/128", "a loopback address");
        refuse("fe80::/10", "a link-local address");
        refuse("fec0::/10", "a site-local address");
        refuse("fc00::/7", "a unique local address");
        refuse("ff00::/8", "a multicast address");
        refuse("64:ff9b:1::/48", "a local-use NAT64 address");
        refuse("100::/64", "a discard-only address");
        refuse("2001:2::/48", "a benchmarking address");
        refuse("2001:db8::/32", "a documentation address");
        refuse("2002::/16", "a 6to4 address"); // carries an IPv4 address, which may be internal
        refuse("2001::/32", "a Teredo address"); // carries one too, obfuscated
    }

    /**
     * IPv6 forms that carry an IPv4 address in their last 4 bytes: mapped, compatible, translated (SIIT) and NAT64's
     * well-known prefix.
     */
    private static final List<Cidr> EMBEDDING = List.of(Cidr.parse("::ffff:0:0/96").orElseThrow(),
            Cidr.parse("::/96").orElseThrow(), Cidr.parse("::ffff:0:0:0/96").orElseThrow(),
            Cidr.parse("64:ff9b::/96").orElseThrow());

    private final Set<String> hosts;
    private final List<Cidr> blocks;

    private AddressPolicy(Set<String> hosts, List<Cidr> blocks) {
        this.hosts = hosts;
        this.blocks = blocks;
    }

    private static void refuse(String block, String reason) {
        REFUSED.put(Cidr.parse(block).orElseThrow(), reason);
    }

    /** The policy with {@code allowlist}: comma-separated host names and address blocks (blank: none). */
    public static AddressPolicy allowing(String allowlist) {
        Set<String> hosts = new TreeSet<>();
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : allowlist == null ? new String[0] : allowlist.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            Optional<Cidr> block = Cidr.parse(item);
            if (block.isPresent()) {
                blocks.add(block.get());
            } else if (item.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\\.?")) {
                hosts.add(hostName(item));
            } else {
                throw new IllegalArgumentException("TRANSCODER_WEBHOOK_ALLOWLIST: '" + item
                        + "' is neither a host name nor an address block such as 10.1.0.0/16");
            }
        }
        return new AddressPolicy(hosts, blocks);
    }

    /**
     * Refuses {@code host} unless every address it resolved to may be called: a host with one internal address among
     * public ones is refused, since the client would try them all.
     */
    public void check(String host, InetAddress[] addresses) throws AddressRefused {
        if (hosts.contains(hostName(host))) {
            return;
        }
        for (InetAddress address : addresses) {
            if (blocks.stream().anyMatch(block -> block.contains(address))) {
                continue;
            }
            Optional<String> why = classify(address.getAddress());
            if (why.isPresent() && Cidr.isLiteral(host)) {
                throw new AddressRefused(host + " is " + why.get() + ": webhooks are sent only to public addresses"
                        + " (TRANSCODER_WEBHOOK_ALLOWLIST names exceptions)");
            }
            if (why.isPresent()) {
                LOG.debug("Webhook host {} refused: it resolves to {}, {}", host, address.getHostAddress(), why.get());
                throw new AddressRefused(notPublic(host));
            }
        }
    }

    /**
     * Why a named host is refused, the same whether it resolves to an internal address or not at all: a client learns
     * neither the addresses nor which names the service's resolver knows.
     */
    static String notPublic(String host) {
        return host + " does not resolve, or resolves to an address webhooks are not sent to (loopback, private,"
                + " link-local, reserved, ...): webhooks are sent only to public addresses"
                + " (TRANSCODER_WEBHOOK_ALLOWLIST names exceptions)";
    }

    /** Why an address (4 or 16 bytes) is not called, if it is not. */
    static Optional<String> classify(byte[] address) {
        Optional<String> why = REFUSED.entrySet().stream().filter(e -> e.getKey().contains(address))
                .map(Map.Entry::getValue).findFirst();
        if (why.isEmpty() && address.length == 16 && EMBEDDING.stream().anyMatch(block -> block.contains(address))) {
            return classify(Arrays.copyOfRange(address, 12, 16)).map(inner -> inner + " written as IPv6");
        }
        return why;
    }

    private static String hostName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
