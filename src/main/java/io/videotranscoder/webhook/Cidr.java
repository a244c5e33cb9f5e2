package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** A block of addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a block of one. */
public record Cidr(byte[] network, int bits) {

    /** The block {@code text} names, if it is an address literal with an optional prefix length. */
    public static Optional<Cidr> parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (!isLiteral(address)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup is made
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        if (address.contains(":") && bytes.length == 4) {
            bytes = mapped(bytes); // Java reads ::ffff:a.b.c.d as IPv4: keep the IPv6 form that was written
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (bits < 0 || bits > bytes.length * 8) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(bytes, bits));
    }

    /** Four dotted numbers, or an IPv6 literal: never a name, which InetAddress would look up. */
    static boolean isLiteral(String text) {
        if (text.contains(":")) {
            return text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether {@code address} (4 or 16 bytes) is in this block; a block of the other family contains none. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }
}
