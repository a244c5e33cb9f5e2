package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latest complete block of FFmpeg's -progress output. */
class FfmpegProgressTest {

    private static final String BLOCK = """
            frame=%d
            fps=%s
            out_time_us=%d
            out_time=00:00:01.000000
            speed=%s
            progress=%s
            """;

    @Test
    void reads_the_last_complete_block() {
        String text = BLOCK.formatted(25, "24.50", 1_000_000, "0.98x", "continue")
                      + BLOCK.formatted(50, "25.10", 2_000_000, "1.02x", "continue") + "frame=60\nfps=25";
        FfmpegProgress.Report report = FfmpegProgress.parse(text).orElseThrow();
        assertEquals(2.0, report.outTimeSeconds(), 1e-9);
        assertEquals(1.02, report.speed(), 1e-9);
        assertEquals(25.10, report.fps(), 1e-9);
    }

    @Test
    void unknown_values_are_left_out() {
        FfmpegProgress.Report report = FfmpegProgress.parse(
                BLOCK.formatted(0, "0.00", 0, "N/A", "continue")).orElseThrow();
        assertNull(report.speed());
        assertEquals(0.0, report.outTimeSeconds());
    }

    @Test
    void the_end_is_the_last_reports_media_time(@TempDir Path folder) throws IOException {
        Path report = folder.resolve("progress.txt");
        assertEquals(30.016, FfmpegProgress.end(Files.writeString(report, BLOCK.formatted(0, "0.00", 29_000_000,
                "N/A", "continue") + BLOCK.formatted(0, "0.00", 30_016_000, "N/A", "end"))), 1e-9);
        assertNull(FfmpegProgress.end(Files.writeString(report, "")));
    }

    @Test
    void nothing_before_the_first_block_ends() {
        assertEquals(Optional.empty(), FfmpegProgress.parse("frame=1\nfps=0.0\n"));
        assertTrue(FfmpegProgress.parse(BLOCK.formatted(1, "1", 40_000, "1x", "end")).isPresent());
    }
}
