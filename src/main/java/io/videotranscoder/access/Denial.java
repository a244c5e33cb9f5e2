package io.videotranscoder.access;

import java.util.Locale;

/** Why a request was refused before it reached the API: each is a value of the failures meter's {@code reason} tag. */
public enum Denial {
    /** No key was sent. */
    MISSING,
    /** What was sent is not a key this service issues: wrong shape or checksum, e.g. a key copied in part. */
    MALFORMED,
    /** A well-formed key that is not stored here. */
    UNKNOWN,
    REVOKED,
    EXPIRED,
    /** A valid key without the scope the call needs. */
    SCOPE,
    /** No key exists yet and the client is not on a trusted address (protected mode). */
    UNTRUSTED,
    /** A request without a key that would change something, sent by a browser from a page of another site. */
    CROSS_SITE,
    /** A request without a key naming a host that is not this service's own (DNS rebinding): {@link KeylessHosts}. */
    HOST,
    /** An event stream's {@code ?token=} that this service did not sign: forged, altered, cut, or not a token at all. */
    TOKEN_INVALID,
    /** An event stream's {@code ?token=} that this service signed, whose time is up. */
    TOKEN_EXPIRED,
    /** A {@code ?token=} asked for one job, sent for another's files or for all events; one for no job, for a file. */
    TOKEN_JOB;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
