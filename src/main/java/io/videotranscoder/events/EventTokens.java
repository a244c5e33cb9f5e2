package io.videotranscoder.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Short-lived tokens that let a browser open an event stream, since {@code EventSource} cannot send a key: which key
 * it was issued to (its id, so that the key's standing can be checked when a stream opens), what the key's caller may
 * read (a tenant, a scope; optionally one job alone) and until when a stream may be opened with it, HMAC-SHA256-signed
 * with a key every API instance shares. A token is {@code <payload>.<signature>}, both base64url.
 */
public final class EventTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String HMAC = "HmacSHA256";
    private static final String FOREIGN = "The token is not one this service issued.";

    private final Supplier<byte[]> key;
    private final Duration lifetime;
    private final Clock clock;

    /** @param key the signing key, asked for at each use (it may be read from Redis once, then kept) */
    public EventTokens(Supplier<byte[]> key, Duration lifetime, Clock clock) {
        this.key = key;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * What a token grants: reading the events of {@code tenant} (of every tenant with the {@code admin} scope), for as
     * long as the key {@code keyId} stands (null: issued to a caller without a key, which it grants nothing more than);
     * with a {@code job}, that job's events and outputs alone (a link that leaks opens no other job's).
     */
    public record Grant(String keyId, String tenant, String scope, String job, Instant expires) {
    }

    /**
     * A token that is not one this service signed, or whose time is up: {@link #expired()} says which, the message says
     * it in words, never with the token.
     */
    public static final class Refused extends RuntimeException {

        private final boolean expired;

        Refused(boolean expired, String message) {
            super(message, null, false, false);
            this.expired = expired;
        }

        /** Whether the token is one this service signed, whose time is up; else it is forged, altered or garbage. */
        public boolean expired() {
            return expired;
        }
    }

    /**
     * A token of the key {@code keyId} (null: none) for {@code tenant} and {@code scope}, and for {@code job} alone
     * unless null, used within the lifetime.
     */
    public Issued issue(String keyId, String tenant, String scope, String job) {
        Instant expires = clock.instant().plus(lifetime);
        Grant grant = new Grant(keyId, tenant, scope, job, Instant.ofEpochSecond(expires.getEpochSecond()));
        try {
            String payload = ENCODER.encodeToString(JSON.writeValueAsBytes(new Claims(keyId, tenant, scope, job,
                    grant.expires().getEpochSecond())));
            return new Issued(payload + "." + ENCODER.encodeToString(sign(payload)), grant);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token and what it grants. */
    public record Issued(String token, Grant grant) {
    }

    /**
     * What {@code token} grants.
     *
     * @throws Refused when it was not signed with this service's key, is malformed, or has expired
     */
    public Grant verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new Refused(false, FOREIGN);
        }
        String payload = token.substring(0, dot);
        Claims claims;
        try {
            if (!MessageDigest.isEqual(sign(payload), DECODER.decode(token.substring(dot + 1)))) {
                throw new Refused(false, FOREIGN);
            }
            claims = JSON.readValue(DECODER.decode(payload), Claims.class);
        } catch (IllegalArgumentException | IOException e) {
            throw new Refused(false, FOREIGN);
        }
        Instant expires = Instant.ofEpochSecond(claims.exp());
        if (!clock.instant().isBefore(expires)) {
            throw new Refused(true, "The token has expired: ask POST /events/token for a new one.");
        }
        return new Grant(claims.kid(), claims.tenant(), claims.scope(), claims.job(), expires);
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.get(), HMAC));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random signing key of 32 bytes. */
    public static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The signed content: short names, as it travels in a URL; no {@code kid} without a key, no {@code job} if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Claims(String kid, String tenant, String scope, String job, long exp) {
    }
}
