package io.videotranscoder.ffmpeg;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled FFmpeg is offered only where it runs; elsewhere the refusal names what to set. */
class BundledFfmpegTest {

    @ParameterizedTest
    @CsvSource({"Linux, amd64", "Linux, x86_64"})
    void runs_on_linux_x86_64(String os, String arch) {
        assertDoesNotThrow(() -> BundledFfmpeg.requireSupported(os, arch));
    }

    @ParameterizedTest
    @CsvSource({"Linux, aarch64", "Linux, arm", "Mac OS X, aarch64", "Mac OS X, x86_64", "Windows 11, amd64",
        "FreeBSD, amd64"})
    void refuses_any_other_platform_in_one_line_naming_ffmpeg_path(String os, String arch) {
        UnsupportedPlatform refusal = assertThrows(UnsupportedPlatform.class,
                () -> BundledFfmpeg.requireSupported(os, arch));

        assertTrue(refusal.getMessage().contains("FFMPEG_PATH"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(os + " " + arch), refusal.getMessage());
        assertFalse(refusal.getMessage().contains("\n"), "one line");
    }
}
