package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** Encoder names come from the listing lines of {@code ffmpeg -encoders}, not from its legend. */
class FfmpegToolsTest {

    private static final String LISTING = """
            Encoders:
             V..... = Video
             A..... = Audio
             S..... = Subtitle
             .F.... = Frame-level multithreading
             ..S... = Slice-level multithreading
             ...X.. = Codec is experimental
             ....B. = Supports draw_horiz_band
             .....D = Supports direct rendering method 1
             ------
             V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
             V....D libvpx-vp9           libvpx VP9 (codec vp9)
             VFS..D mpeg4                MPEG-4 part 2
             A....D aac                  AAC (Advanced Audio Coding)
             A....D libopus              libopus Opus (codec opus)
             S..... srt                  SubRip subtitle
            """;

    @Test
    void parses_encoder_names() {
        Set<String> names = FfmpegTools.parseEncoders(LISTING);
        assertTrue(names.containsAll(Set.of("libx264", "libvpx-vp9", "mpeg4", "aac", "libopus", "srt")), names::toString);
        assertFalse(names.contains("H.264"));
        assertFalse(names.contains("libx264 "));
    }

    @Test
    void skips_the_dashes_and_the_flag_legend_lines() {
        Set<String> names = FfmpegTools.parseEncoders(LISTING);
        for (String word : Set.of("------", "Encoders:", "Video", "Audio", "Subtitle", "Frame-level", ".F....")) {
            assertFalse(names.contains(word), word);
        }
    }

    @Test
    void parses_exactly_the_encoder_lines() {
        assertEquals(Set.of("libx264", "libvpx-vp9", "mpeg4", "aac", "libopus", "srt"),
                FfmpegTools.parseEncoders(LISTING));
    }

    @Test
    void handles_windows_line_endings_and_empty_output() {
        Set<String> names = FfmpegTools.parseEncoders(
                " ------\r\n V....D libx264              H.264\r\n A....D aac    AAC\r\n");
        assertEquals(Set.of("libx264", "aac"), names);
        assertEquals(Set.of(), FfmpegTools.parseEncoders(""));
    }
}
