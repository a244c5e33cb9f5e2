package io.videotranscoder.access;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key format: a prefix, 128 random bits and a checksum that catches typos without a lookup. */
class ApiKeyTest {

    @Test
    void a_new_key_has_the_prefix_22_base62_characters_and_a_6_character_checksum() {
        String key = ApiKey.generate();

        assertTrue(key.matches("vt_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}"), key);
        assertTrue(ApiKey.wellFormed(key));
    }

    @Test
    void keys_do_not_repeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(ApiKey.generate());
        }
        assertEquals(10_000, keys.size());
    }

    @Test
    void a_changed_character_breaks_the_checksum() {
        String key = ApiKey.generate();
        for (int i = 3; i < key.length(); i++) {
            if (key.charAt(i) == '_') {
                continue;
            }
            char other = key.charAt(i) == 'a' ? 'b' : 'a';
            String typo = key.substring(0, i) + other + key.substring(i + 1);
            assertFalse(ApiKey.wellFormed(typo), typo);
        }
    }

    @Test
    void a_key_cut_short_or_of_another_shape_is_refused() {
        String key = ApiKey.generate();

        assertFalse(ApiKey.wellFormed(key.substring(0, key.length() - 1)));
        assertFalse(ApiKey.wellFormed(key + "x"));
        assertFalse(ApiKey.wellFormed("xx" + key.substring(2)));
        assertFalse(ApiKey.wellFormed(" " + key));
        assertFalse(ApiKey.wellFormed(""));
        assertFalse(ApiKey.wellFormed(null));
        assertFalse(ApiKey.wellFormed("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"));
    }

    @Test
    void the_checksum_is_the_crc32_of_the_rest_in_base62() {
        String body = "vt_0000000000000000000000";
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));

        assertEquals(crc.getValue(), base62Value(ApiKey.checksum(body)));
        assertEquals("000000", ApiKey.checksum(""));
        assertTrue(ApiKey.wellFormed(body + "_" + ApiKey.checksum(body)));
    }

    @Test
    void the_id_is_the_start_of_the_digest_and_the_digest_is_sha256_hex() {
        String digest = ApiKey.digest("vt_0000000000000000000000_000000");

        assertEquals(64, digest.length());
        assertEquals(digest.substring(0, 16), ApiKey.id(digest));
        assertTrue(ApiKey.validId(ApiKey.id(digest)));
        assertNotEquals(digest, ApiKey.digest("vt_0000000000000000000000_000001"));
        assertFalse(ApiKey.validId("ABCDEF0123456789"));
        assertFalse(ApiKey.validId("../../etc/passwd"));
        assertFalse(ApiKey.validId(null));
    }

    private static long base62Value(String digits) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long value = 0;
        for (char c : digits.toCharArray()) {
            value = value * 62 + alphabet.indexOf(c);
        }
        return value;
    }
}
