package io.videotranscoder.ffmpeg;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.videotranscoder.support.Media;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ISO media file is whole when its top-level boxes end where it ends: FFmpeg's own, and cut ones. */
class Mp4BoxesTest {

    @TempDir
    Path dir;

    @Test
    void a_file_ffmpeg_wrote_is_whole_and_the_same_cut_is_not() throws Exception {
        Path clip = Media.clip(dir, "clip.mp4", 1, "320x240");
        byte[] bytes = Files.readAllBytes(clip);

        assertTrue(Mp4Boxes.whole(clip));
        assertFalse(Mp4Boxes.whole(Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length - 1))));
        assertFalse(Mp4Boxes.whole(Files.write(dir.resolve("half.mp4"), Arrays.copyOf(bytes, bytes.length / 2))));
        assertFalse(Mp4Boxes.whole(Files.write(dir.resolve("empty.m4s"), new byte[0])), "an empty segment");
        assertFalse(Mp4Boxes.whole(Files.write(dir.resolve("header.m4s"), Arrays.copyOf(bytes, 5))));
    }

    /** A box of a 64-bit size, and one that runs to the end of the file (size 0), as ISO 14496-12 allows. */
    @Test
    void large_sizes_and_a_box_to_the_end_are_read() throws Exception {
        ByteBuffer large = ByteBuffer.allocate(16 + 4).putInt(1).put("mdat".getBytes()).putLong(20).putInt(7);
        ByteBuffer toEnd = ByteBuffer.allocate(8 + 8 + 3).putInt(8).put("free".getBytes()).putInt(0)
                .put("mdat".getBytes()).put(new byte[3]);
        ByteBuffer overstated = ByteBuffer.allocate(16 + 4).putInt(1).put("mdat".getBytes()).putLong(24).putInt(7);

        assertTrue(Mp4Boxes.whole(Files.write(dir.resolve("large.m4s"), large.array())));
        assertTrue(Mp4Boxes.whole(Files.write(dir.resolve("to-end.m4s"), toEnd.array())));
        assertFalse(Mp4Boxes.whole(Files.write(dir.resolve("overstated.m4s"), overstated.array())));
    }

    /** FFmpeg exits 0 with a file of headers when no frame falls in what it was asked to encode. */
    @Test
    void a_file_without_a_frame_holds_no_media() throws Exception {
        Path none = dir.resolve("none.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=1:size=64x64", "-vf", "trim=start=5", "-c:v", "libx264", "-f", "mp4",
                none.toString());
        ByteBuffer large = ByteBuffer.allocate(16 + 4).putInt(1).put("mdat".getBytes()).putLong(20).putInt(7);
        ByteBuffer toEnd = ByteBuffer.allocate(8 + 3).putInt(0).put("mdat".getBytes()).put(new byte[3]);

        assertTrue(Mp4Boxes.whole(none), "a whole file");
        assertFalse(Mp4Boxes.holdsMedia(none));
        assertTrue(Mp4Boxes.holdsMedia(Media.clip(dir, "clip.mp4", 1, "320x240")));
        assertTrue(Mp4Boxes.holdsMedia(Files.write(dir.resolve("large.mp4"), large.array())));
        assertTrue(Mp4Boxes.holdsMedia(Files.write(dir.resolve("to-end.mp4"), toEnd.array())));
        assertFalse(Mp4Boxes.holdsMedia(Files.write(dir.resolve("empty.mp4"), new byte[0])));
        ByteBuffer cut = ByteBuffer.allocate(8 + 4).putInt(1).put("mdat".getBytes()).putInt(9);
        ByteBuffer huge = ByteBuffer.allocate(16 + 4).putInt(1).put("free".getBytes()).putLong(Long.MAX_VALUE);
        assertFalse(Mp4Boxes.holdsMedia(Files.write(dir.resolve("cut.mp4"), cut.array())), "a 64-bit size cut");
        assertFalse(Mp4Boxes.holdsMedia(Files.write(dir.resolve("huge.mp4"), huge.array())), "past the file's end");
    }

    @Test
    void only_iso_media_names_are_checked() {
        assertTrue(Mp4Boxes.named(Path.of("init_0.mp4")));
        assertTrue(Mp4Boxes.named(Path.of("stream_0_001.m4s")));
        assertTrue(Mp4Boxes.named(Path.of("sound.M4A")));
        assertFalse(Mp4Boxes.named(Path.of("master.m3u8")));
        assertFalse(Mp4Boxes.named(Path.of("output.webm")));
        assertFalse(Mp4Boxes.named(Path.of("poster.jpg")));
    }
}
