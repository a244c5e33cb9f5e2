package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
        Boxes boxes = read(file);
        return boxes.whole() && !boxes.read().isEmpty();
    }

    /**
     * Whether the file holds any media data: a top-level {@code mdat} box with something in it. FFmpeg writes a
     * segment in whose time no frame fell as a file of headers and an empty {@code mdat}, and exits 0.
     */
    public static boolean holdsMedia(Path file) throws IOException {
        return read(file).read().stream().anyMatch(box -> box.type().equals("mdat") && box.size() > box.header());
    }

    /** A top-level box: its type, the length of its header (8, or 16 with a 64-bit size) and its whole size. */
    private record Box(String type, int header, long size) {
    }

    /** The top-level boxes as far as they read whole; {@code whole} when they end exactly where the file ends. */
    private record Boxes(List<Box> read, boolean whole) {
    }

    private static Boxes read(Path file) throws IOException {
        List<Box> boxes = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = in.size();
            ByteBuffer header = ByteBuffer.allocate(16);
            for (long at = 0; at < length; ) {
                header.clear().limit((int) Math.min(16, length - at));
                int got = in.read(header, at);
                long size = got < 8 ? -1 : Integer.toUnsignedLong(header.getInt(0));
                int headerSize = size == 1 ? 16 : 8;
                if (got < headerSize) {
                    return new Boxes(boxes, false); // a header cut short
                }
                size = size == 1 ? header.getLong(8) : size == 0 ? length - at : size; // 1: 64-bit; 0: to the end
                if (size < headerSize || size > length - at) {
                    return new Boxes(boxes, false); // a box that claims more than the file holds: cut
                }
                boxes.add(new Box(new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1), headerSize, size));
                at += size;
            }
            return new Boxes(boxes, true);
        }
    }
}
