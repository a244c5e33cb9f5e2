package io.videotranscoder.access;

import java.util.Locale;

import io.videotranscoder.process.StartRefusal;

/** {@code TRANSCODER_AUTH}: whether requests must carry a key. */
public enum AuthMode {
    /** Every request needs a key. */
    ON,
    /** No checks: every request is served as an admin of the default tenant (a trusted network only). */
    OFF,
    /**
     * Unset: like Redis's protected mode. While no key exists, trusted addresses (loopback) are served as an admin of
     * the default tenant and every other client is refused; once a key exists, as {@link #ON}.
     */
    PROTECTED;

    /** @throws IllegalArgumentException for anything but on, off or blank */
    public static AuthMode of(String value) {
        if (value == null || value.isBlank()) {
            return PROTECTED;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "off" -> OFF;
            default -> throw new StartRefusal("TRANSCODER_AUTH must be on, off or unset, not " + value);
        };
    }
}
