package io.videotranscoder.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The upload sniffer tells text (valid UTF-8, no NUL in the first 4 KiB) from binary media. */
class FileChecksTest {

    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("upload"), bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(int count) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) 'a');
        return bytes;
    }

    @Test
    void plain_ascii_is_text() throws IOException {
        assertTrue(FileChecks.looksLikeText(write("Hello, world!\nThis is not a video.\n"
                .getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void utf8_with_multibyte_characters_is_text() throws IOException {
        String text = "Grüße, 日本語, € and 🎬\n".repeat(500); // well past the 4096-byte window
        assertTrue(FileChecks.looksLikeText(write(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** The 4096-byte window ends after 2 or 3 bytes of a multi-byte character, or right after a whole one. */
    @ParameterizedTest
    @CsvSource({"4094, €", "4093, €", "4094, é", "4093, 🎬", "4094, 🎬", "4092, 🎬", "4090, €"})
    void a_character_cut_by_the_window_is_still_text(int asciiBytes, String character) throws IOException {
        byte[] twice = (character + character).getBytes(StandardCharsets.UTF_8);
        assertTrue(FileChecks.looksLikeText(write(concat(ascii(asciiBytes), twice))));
    }

    /** The case the brief names: 4095 ASCII bytes, then a 3-byte character whose lead byte is byte 4096. */
    @ParameterizedTest
    @CsvSource({"4095, €", "4095, é", "4095, 🎬"})
    void a_lone_lead_byte_at_the_window_end_is_still_text(int asciiBytes, String character) throws IOException {
        byte[] bytes = character.getBytes(StandardCharsets.UTF_8);
        assertTrue(FileChecks.looksLikeText(write(concat(ascii(asciiBytes), bytes))));
    }

    @Test
    void mp4_is_not_text() throws IOException {
        byte[] mp4 = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm'};
        assertFalse(FileChecks.looksLikeText(write(mp4)));
    }

    @Test
    void invalid_utf8_without_nul_is_not_text() throws IOException {
        byte[] bytes = new byte[8192];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 2 == 0 ? 0xFF : 0xFE);
        }
        assertFalse(FileChecks.looksLikeText(write(bytes)));
    }

    @Test
    void a_nul_byte_is_not_text() throws IOException {
        assertFalse(FileChecks.looksLikeText(write("abc\0def".getBytes(StandardCharsets.US_ASCII))));
    }
}
