package io.videotranscoder.access;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

/** The client addresses protected mode serves without a key: CIDR blocks, IPv4 and IPv6 ({@code 127.0.0.0/8,::1}). */
public final class TrustedAddresses {

    private final List<IpSubnetFilterRule> blocks;

    private TrustedAddresses(List<IpSubnetFilterRule> blocks) {
        this.blocks = blocks;
    }

    /** @param list comma-separated blocks; an address without a prefix length is that address alone; blank: none */
    public static TrustedAddresses parse(String list) {
        List<IpSubnetFilterRule> blocks = new ArrayList<>();
        for (String entry : list == null ? new String[0] : list.split(",")) {
            String block = entry.trim();
            if (block.isEmpty()) {
                continue;
            }
            int slash = block.indexOf('/');
            String address = slash < 0 ? block : block.substring(0, slash);
            int bits = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(block.substring(slash + 1));
            blocks.add(new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT));
        }
        return new TrustedAddresses(List.copyOf(blocks));
    }

    /** @param host a literal address, as a server reads it from its connection */
    public boolean trusts(String host) {
        InetSocketAddress address = new InetSocketAddress(host, 0);
        return !address.isUnresolved() && blocks.stream().anyMatch(block -> block.matches(address));
    }
}
