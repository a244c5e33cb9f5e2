package io.videotranscoder.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks secrets: {@code whsec_} and the base64 of the key. The key signs; the text is what a receiver is
 * given once and configures its verifier with.
 */
public final class Secrets {

    public static final String PREFIX = "whsec_";
    /** 24 to 64 bytes, as the specification asks. */
    private static final int MIN_BYTES = 24;
    private static final int MAX_BYTES = 64;
    private static final int NEW_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A fresh secret of 32 random bytes. */
    public static String generate() {
        byte[] key = new byte[NEW_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key of a secret.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never repeating it: it is a secret)
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " and then base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("a webhook secret's key is " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, not " + key.length + " (e.g. " + PREFIX + "$(openssl rand -base64 32))");
        }
        return key;
    }
}
