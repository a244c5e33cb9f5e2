package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Matroska input is told by its first bytes, not by its name. */
class MatroskaTest {

    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86};

    @TempDir
    Path folder;

    @Test
    void a_file_beginning_as_ebml_is_matroska_whatever_its_name() throws IOException {
        assertTrue(Matroska.is(Files.write(folder.resolve("input.bin"), EBML)));
        assertTrue(Matroska.is(Files.write(folder.resolve("input.mp4"), EBML)));
    }

    @Test
    void other_files_are_not() throws IOException {
        assertFalse(Matroska.is(Files.write(folder.resolve("input.mkv"),
                new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'})), "an MP4 named .mkv");
        assertFalse(Matroska.is(Files.write(folder.resolve("short.bin"), new byte[] {0x1A, 0x45})), "too short");
        assertFalse(Matroska.is(folder.resolve("missing.bin")), "left to the probe");
    }
}
