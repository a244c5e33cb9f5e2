package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Matroska and WebM files, which may state no length (a browser's recording, written as a stream): such an input is
 * probed before its encode, where an unknown length can be measured first ({@link MediaInfo#lengthGuessed}).
 */
public final class Matroska {

    /** The first bytes of an EBML document: every Matroska and WebM file. */
    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

    private Matroska() {
    }

    /**
     * Whether the file's first bytes are EBML's, whatever its name (a recording sent as a blob has none, and is stored
     * as {@code input.bin}). A file that cannot be read is left to the probe to judge.
     */
    public static boolean is(Path file) {
        byte[] head = new byte[EBML.length];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, head.length) == head.length && Arrays.equals(head, EBML);
        } catch (IOException e) {
            return false;
        }
    }
}
