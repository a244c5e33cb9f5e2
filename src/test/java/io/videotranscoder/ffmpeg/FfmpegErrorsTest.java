package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** FFmpeg's stderr becomes a short reason without host paths. */
class FfmpegErrorsTest {

    private static final String ROOT = "/srv/transcoder/data";

    @Test
    void keeps_the_last_four_non_blank_lines() {
        String stderr = "one\n\ntwo\r\n   \nthree\n  four  \nfive\n";
        assertEquals("two; three; four; five", FfmpegErrors.summarize(stderr, ROOT));
    }

    @Test
    void drops_last_message_repeated_lines() {
        String stderr = "a\nb\nc\nd\n    Last message repeated 3 times\n";
        assertEquals("a; b; c; d", FfmpegErrors.summarize(stderr, ROOT));
    }

    @Test
    void replaces_the_data_root_with_and_without_file_prefix() {
        String stderr = "file:" + ROOT + "/abc/input.mp4: Invalid data found when processing input\n"
                + "Error opening output " + ROOT + "/abc/.work/output.mp4\n";
        String summary = FfmpegErrors.summarize(stderr, ROOT);
        assertEquals("abc/input.mp4: Invalid data found when processing input; "
                + "Error opening output abc/.work/output.mp4", summary);
        assertFalse(summary.contains(ROOT));
        assertFalse(summary.contains("file:"));
    }

    @Test
    void truncates_long_text() {
        String summary = FfmpegErrors.summarize("x".repeat(1000), ROOT);
        assertEquals(601, summary.length());
        assertTrue(summary.startsWith("x".repeat(600)));
        assertTrue(summary.endsWith("…"));
        assertEquals("x".repeat(600), FfmpegErrors.summarize("x".repeat(600), ROOT));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \n\t\n"})
    void nothing_to_say_gives_an_empty_string(String stderr) {
        assertEquals("", FfmpegErrors.summarize(stderr, ROOT));
    }

    @Test
    void leaves_text_alone_without_a_data_root() {
        assertEquals("/x/y: bad", FfmpegErrors.summarize("/x/y: bad", null));
    }

    @Test
    void drops_the_memory_addresses_of_ffmpeg_contexts() {
        assertEquals("[mov,mp4,m4a,3gp,3g2,mj2] moov atom not found",
                FfmpegErrors.summarize("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x559c7ec4c240] moov atom not found\n", "/data"));
    }
}
