package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Whether an ISO media file (MP4, M4A, an HLS ladder's fMP4 segments and init) is whole: its top-level boxes, each
 * stating its size, end exactly where the file ends. FFmpeg's HLS muxer exits 0 although a segment's write failed
 * (a disk that filled for a moment): a segment left empty or cut passed the main playlist's check. Only the boxes'
 * headers are read.
 */
public final class Mp4Boxes {

    private Mp4Boxes() {
    }

    /** Whether {@code file}'s name is one of an ISO media file's. */
    public static boolean named(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".mp4") || name.endsWith(".m4a") || name.endsWith(".m4s") || name.endsWith(".mov");
    }

    /** Whether the file holds at least one box, and its boxes end where it ends. */
    public static boolean whole(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = in.size();
            long at = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (at < length) {
                header.clear().limit(8);
                if (length - at < 8 || in.read(header, at) < 8) {
                    return false; // a header cut short
                }
                long size = Integer.toUnsignedLong(header.getInt(0));
                if (size == 1) { // a 64-bit size follows the type
                    header.clear().limit(8);
                    if (length - at < 16 || in.read(header, at + 8) < 8) {
                        return false;
                    }
                    size = header.getLong(0);
                } else if (size == 0) { // to the end of the file
                    return true;
                }
                if (size < 8 || size > length - at) {
                    return false; // a box that claims more than the file holds: cut
                }
                at += size;
            }
            return length > 0;
        }
    }

    /**
     * Whether the file holds any media data: a top-level {@code mdat} box with something in it. FFmpeg writes a
     * segment in whose time no frame fell as a file of headers and an empty {@code mdat}, and exits 0.
     */
    public static boolean holdsMedia(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = in.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            for (long at = 0; length - at >= 8; ) {
                header.clear();
                in.read(header, at);
                long size = Integer.toUnsignedLong(header.getInt(0));
                int headerSize = size == 1 ? 16 : 8;
                if (length - at < headerSize) {
                    return false;
                }
                size = size == 1 ? header.getLong(8) : size == 0 ? length - at : size;
                if (size < headerSize || size > length - at) {
                    return false; // a box that claims more than the file holds, or less than its header
                }
                if ("mdat".equals(new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1))) {
                    return size > headerSize;
                }
                at += size;
            }
            return false;
        }
    }
}
