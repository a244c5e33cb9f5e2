package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.List;

import io.videotranscoder.preset.Preset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentArgumentsTest {

    private static final Preset PRESET = TranscodeOptions.DEFAULT.toPreset();
    private static final InputPolicy POLICY = new InputPolicy(21600, 35389440, 240);
    private static final Path WORK = Path.of("/data/job/.segments/0123456789abcdef");

    @Test
    void a_segment_seeks_before_its_bounds_and_keeps_exactly_its_frames_by_their_timestamps() {
        List<String> args = SegmentArguments.segment(Path.of("/data/job/input.mp4"), WORK, "segment-00001.mp4", PRESET,
                null, 2.98, 5.98, POLICY);

        assertEquals("1.980000", args.get(args.indexOf("-ss") + 1), "a second before: a keyframe before the bound");
        assertTrue(args.containsAll(List.of("-seek_timestamp", "-noaccurate_seek", "-copyts")));
        assertTrue(args.get(args.indexOf("-vf") + 1).startsWith("trim=start=2.980000:end=5.980000,setpts=PTS-STARTPTS,"));
        assertEquals("passthrough", args.get(args.indexOf("-fps_mode") + 1), "no frame dropped or duplicated");
        assertTrue(args.contains("-an"));
        assertEquals("file:" + WORK.resolve("segment-00001.mp4"), args.get(args.size() - 1));
    }

    @Test
    void the_last_segment_runs_to_the_end_and_the_first_seeks_from_zero() {
        List<String> last = SegmentArguments.segment(Path.of("in.mp4"), WORK, "s.mp4", PRESET, null, 8.98, null,
                POLICY);
        List<String> first = SegmentArguments.segment(Path.of("in.mp4"), WORK, "s.mp4", PRESET, null, 0, 2.98,
                POLICY);

        assertFalse(last.get(last.indexOf("-vf") + 1).contains(":end="));
        assertEquals("0.000000", first.get(first.indexOf("-ss") + 1));
    }

    @Test
    void the_join_copies_the_segments_and_muxes_the_audio() {
        List<String> args = SegmentArguments.join(Path.of("list.ffconcat"), Path.of("audio.m4a"), WORK, PRESET);

        assertTrue(args.containsAll(List.of("-f", "concat", "-safe", "0", "-c", "copy")));
        assertTrue(args.containsAll(List.of("-map", "0:v:0", "1:a:0")));
        assertEquals("file:" + WORK.resolve("output.mp4"), args.get(args.size() - 1));
        assertFalse(SegmentArguments.join(Path.of("l"), null, WORK, PRESET).contains("1:a:0"), "no audio, no map");
    }

    @Test
    void the_concat_list_quotes_each_file() {
        assertEquals("ffconcat version 1.0\nfile '/a/segment-00000.mp4'\nfile '/a/it'\\''s.mp4'\n",
                SegmentArguments.concatList(List.of(Path.of("/a/segment-00000.mp4"), Path.of("/a/it's.mp4"))));
    }
}
