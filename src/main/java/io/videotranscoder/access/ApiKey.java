package io.videotranscoder.access;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * An API key: {@code vt_<22 base62 characters: 128 random bits>_<6 base62 characters: CRC32 of what precedes>}. The
 * fixed prefix lets secret scanners find leaked keys, and the checksum lets anyone (this service first) reject a key
 * mistyped or cut short without a lookup. Only the key's SHA-256 is ever stored; its first 16 hex digits are the key's
 * public id, so that one lookup finds the record whose full digest is then compared in constant time.
 */
public final class ApiKey {

    static final String PREFIX = "vt_";
    private static final int SECRET_LENGTH = 22;
    private static final int CHECKSUM_LENGTH = 6;
    private static final int ID_LENGTH = 16;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(ALPHABET.length());
    private static final Pattern SHAPE = Pattern.compile(
            "(vt_[0-9A-Za-z]{" + SECRET_LENGTH + "})_([0-9A-Za-z]{" + CHECKSUM_LENGTH + "})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKey() {
    }

    /** A new key, never stored anywhere by this method. */
    public static String generate() {
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String body = PREFIX + base62(new BigInteger(1, secret), SECRET_LENGTH);
        return body + "_" + checksum(body);
    }

    /** Whether {@code key} has the shape of a key and its checksum matches: no lookup, and no timing worth hiding. */
    public static boolean wellFormed(String key) {
        if (key == null) {
            return false;
        }
        Matcher parts = SHAPE.matcher(key);
        return parts.matches() && checksum(parts.group(1)).equals(parts.group(2));
    }

    /** The SHA-256 of the key in hex: what Redis keeps instead of the key. */
    public static String digest(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /** The key's public id, made from its digest: shown in listings, used to revoke it. */
    public static String id(String digest) {
        return digest.substring(0, ID_LENGTH);
    }

    /** Whether {@code id} could be a key's id; anything else names no key. */
    public static boolean validId(String id) {
        return id != null && id.length() == ID_LENGTH && id.chars().allMatch(c -> Character.digit(c, 16) >= 0
                && !Character.isUpperCase(c));
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        return base62(BigInteger.valueOf(crc.getValue()), CHECKSUM_LENGTH);
    }

    /** {@code value} in base62, left-padded with zeros to {@code length} characters. */
    private static String base62(BigInteger value, int length) {
        StringBuilder digits = new StringBuilder();
        BigInteger rest = value;
        while (rest.signum() > 0) {
            BigInteger[] division = rest.divideAndRemainder(BASE);
            digits.append(ALPHABET.charAt(division[1].intValue()));
            rest = division[0];
        }
        while (digits.length() < length) {
            digits.append('0');
        }
        return digits.reverse().toString();
    }
}
