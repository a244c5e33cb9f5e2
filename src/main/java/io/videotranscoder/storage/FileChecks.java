package io.videotranscoder.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.refusal.Refusal;

/** Cheap checks of a received file, before it costs a job: it has bytes, and they are not text. */
public final class FileChecks {

    /** How much of a file's start the checks read. */
    public static final int SNIFF_BYTES = 4096;

    private FileChecks() {
    }

    /** @throws Refusal cannot process for an empty file, not a video for a text file */
    public static void requireVideoLike(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            requireVideoLike(Files.size(file), in.readNBytes(SNIFF_BYTES));
        }
    }

    /**
     * The same checks of a file known by its size and its first {@link #SNIFF_BYTES} bytes (all of them, for a
     * shorter file): an upload streamed into the object store is on no disk.
     *
     * @throws Refusal cannot process for an empty file, not a video for a text file
     */
    public static void requireVideoLike(long size, byte[] head) {
        if (size == 0) {
            throw Refusal.cannotProcess("The file is empty.", "file");
        }
        if (looksLikeText(head)) {
            throw Refusal.notAVideo("The file is text, not a video.");
        }
    }

    static boolean looksLikeText(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return looksLikeText(in.readNBytes(SNIFF_BYTES));
        }
    }

    /** Every video container has binary headers early on; a start that is valid UTF-8 without NUL bytes is text. */
    public static boolean looksLikeText(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        // A file longer than the window may cut a multi-byte character: that is not malformed input, only more to come.
        boolean whole = head.length < SNIFF_BYTES;
        CharBuffer chars = CharBuffer.allocate(head.length);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return !utf8.decode(ByteBuffer.wrap(head), chars, whole).isError() && (!whole || !utf8.flush(chars).isError());
    }
}
