package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentArgumentsTest {

    private static final Preset PRESET = TranscodeOptions.DEFAULT.toPreset();
    private static final InputPolicy POLICY = new InputPolicy(21600, 35389440, 240);
    private static final Path WORK = Path.of("/data/job/.segments/0123456789abcdef");
    /** 25 fps, its video and sound from the start. */
    private static final MediaInfo INFO = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 12.0, "h264", 320, 240, 25.0,
            "aac", 2, 0.0, 0.0);

    @Test
    void a_segment_seeks_before_its_bounds_and_keeps_exactly_its_frames_by_their_timestamps() {
        List<String> args = SegmentArguments.segment(Path.of("/data/job/input.mp4"), WORK, "segment-00001.mp4", PRESET,
                INFO, new SegmentSpan(2.98, 5.98, 3, 3), POLICY, CodecThreads.FFMPEG_CHOOSES);

        assertEquals("1.980000", args.get(args.indexOf("-ss") + 1), "a second before: a keyframe before the bound");
        assertTrue(args.containsAll(List.of("-seek_timestamp", "-noaccurate_seek", "-copyts")));
        assertTrue(args.get(args.indexOf("-vf") + 1).startsWith(POLICY.frameCap() + "trim=start=2.980000:end=5.980000,"
                + "setpts=PTS-STARTPTS+max(0\\,STARTPTS-3.000000/TB),"), "timed from its first frame, or from where"
                + " it was due if the video has a gap there: " + args);
        assertEquals("passthrough", args.get(args.indexOf("-fps_mode") + 1), "no frame dropped or duplicated");
        assertTrue(args.contains("-an"));
        assertEquals("file:" + WORK.resolve("segment-00001.mp4"), args.get(args.size() - 1));
    }

    @Test
    void the_last_segment_runs_to_the_end_and_the_first_seeks_from_zero() {
        List<String> last = SegmentArguments.segment(Path.of("in.mp4"), WORK, "s.mp4", PRESET, INFO,
                new SegmentSpan(8.98, null, 9, 3), POLICY, CodecThreads.FFMPEG_CHOOSES);
        List<String> first = SegmentArguments.segment(Path.of("in.mp4"), WORK, "s.mp4", PRESET, INFO,
                new SegmentSpan(0, 2.98, 0, 3), POLICY, CodecThreads.FFMPEG_CHOOSES);

        assertFalse(last.get(last.indexOf("-vf") + 1).contains(":end="));
        assertTrue(last.get(last.indexOf("-vf") + 1).startsWith(POLICY.frameCap()), "no more frames than any output");
        assertEquals("0.000000", first.get(first.indexOf("-ss") + 1));
    }

    @Test
    void the_join_copies_the_segments_and_muxes_the_audio() {
        List<String> args = SegmentArguments.join(Path.of("list.ffconcat"), Path.of("audio.m4a"), WORK, PRESET, INFO);

        assertTrue(args.containsAll(List.of("-f", "concat", "-safe", "0", "-c", "copy")));
        assertTrue(args.containsAll(List.of("-map", "0:v:0", "1:a:0")));
        assertEquals("file:" + WORK.resolve("output.mp4"), args.get(args.size() - 1));
        assertFalse(SegmentArguments.join(Path.of("l"), null, WORK, PRESET, INFO).contains("1:a:0"),
                "no audio, no map");
        assertTrue(args.containsAll(List.of("-movflags", "+faststart")));
        assertEquals("-1", args.get(args.indexOf("-map_chapters") + 1), "no chapter of the input's");
        List<String> audio = SegmentArguments.audio(Path.of("in.mp4"), WORK, "audio.m4a", PRESET, POLICY,
                CodecThreads.FFMPEG_CHOOSES);
        assertEquals("-1", audio.get(audio.indexOf("-map_chapters") + 1), "nor in the audio, whose chapters it kept");
    }

    /** A gap in the picture longer than a segment: the segment in it has no frame, and the one before is held. */
    @Test
    void a_segment_without_a_frame_is_left_out_and_its_time_given_to_the_one_before() {
        List<Path> files = List.of(Path.of("/a/s0.mp4"), Path.of("/a/s1.mp4"), Path.of("/a/s2.mp4"),
                Path.of("/a/s3.mp4"));

        assertEquals("ffconcat version 1.0\nfile '/a/s0.mp4'\ninpoint 0\nduration 7.000000\n"
                + "file '/a/s3.mp4'\ninpoint 0\n", SegmentArguments.concatList(files, List.of(3.0, 2.0, 2.0),
                f -> f.toString().matches(".*s[12].mp4")));
        assertEquals("ffconcat version 1.0\nfile '/a/s0.mp4'\ninpoint 0\nduration 3.000000\n"
                + "file '/a/s1.mp4'\ninpoint 0\nduration 2.000000\nfile '/a/s2.mp4'\ninpoint 0\n",
                SegmentArguments.concatList(files, List.of(3.0, 2.0, 2.0), f -> f.endsWith("s3.mp4")),
                "the last left out: the one before runs to its end");
    }

    @Test
    void a_webm_join_copies_mp4_segments_into_webm_without_mp4_flags() {
        Preset webm = TranscodeOptions.parse("vp9", "1M", "640x360", Set.of("libvpx-vp9")).toPreset();
        List<String> segment = SegmentArguments.segment(Path.of("in.mkv"), WORK, "segment-00000.mp4", webm, INFO,
                new SegmentSpan(0, 2.98, 0, 3), POLICY, CodecThreads.FFMPEG_CHOOSES);
        List<String> join = SegmentArguments.join(Path.of("l"), Path.of("audio.m4a"), WORK, webm, INFO);

        assertTrue(segment.containsAll(List.of("-c:v", "libvpx-vp9", "-f", "mp4")), "segments are MP4: " + segment);
        assertFalse(join.contains("-movflags"), "an MP4 muxer's option would fail the WebM muxer");
        assertEquals(List.of("-f", "webm", "file:" + WORK.resolve("output.webm")), join.subList(join.size() - 3,
                join.size()));
    }

    /** A video that begins a second after its sound begins a second after it in the join too, as in a single pass. */
    @Test
    void the_join_keeps_the_audio_s_time_and_gives_the_video_its_delay() {
        MediaInfo late = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 13.0, "h264", 320, 240, 25.0, "aac", 2, 1.0, 0.0);

        List<String> args = SegmentArguments.join(Path.of("list.ffconcat"), Path.of("audio.m4a"), WORK, PRESET, late);

        assertEquals(List.of("-copyts", "-itsoffset", "1.000000", "-protocol_whitelist", "file", "-f", "concat"),
                args.subList(args.indexOf("-copyts"), args.indexOf("-copyts") + 7), args.toString());
        List<String> together = SegmentArguments.join(Path.of("l"), Path.of("a"), WORK, PRESET, INFO);
        assertEquals("0.000000", together.get(together.indexOf("-itsoffset") + 1));
    }

    @Test
    void the_concat_list_quotes_each_file_and_places_it_at_its_planned_start() {
        List<Path> files = List.of(Path.of("/a/segment-00000.mp4"), Path.of("/a/it's.mp4"));

        assertEquals("ffconcat version 1.0\nfile '/a/segment-00000.mp4'\ninpoint 0\nduration 3.040000\n"
                + "file '/a/it'\\''s.mp4'\ninpoint 0\n",
                SegmentArguments.concatList(files, List.of(3.04, 2.0), f -> false));
        assertEquals("ffconcat version 1.0\nfile '/a/segment-00000.mp4'\nfile '/a/it'\\''s.mp4'\n",
                SegmentArguments.concatList(files, null, f -> false), "split before the lengths were stored");
    }

    @Test
    void threads_per_codec_bound_the_segments_and_the_audio_alike() {
        CodecThreads one = new CodecThreads(1);
        List<String> segment = SegmentArguments.segment(Path.of("in.mp4"), WORK, "s.mp4", PRESET, INFO,
                new SegmentSpan(0, 2.98, 0, 3), POLICY, one);
        List<String> audio = SegmentArguments.audio(Path.of("in.mp4"), WORK, "audio.m4a", PRESET, POLICY, one);

        for (List<String> args : List.of(segment, audio)) {
            int input = args.indexOf("-i");
            assertEquals(List.of("-threads", "1"), args.subList(input - 2, input), "the decoders: " + args);
            List<String> outputOptions = args.subList(input + 2, args.size());
            assertEquals("1", outputOptions.get(outputOptions.indexOf("-threads") + 1), "the encoders: " + args);
        }
    }
}
