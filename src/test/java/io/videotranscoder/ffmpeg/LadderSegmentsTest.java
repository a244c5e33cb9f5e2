package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A split ladder: each segment every rendition with keyframes on the HLS grid; the join copies and packages them. */
class LadderSegmentsTest {

    private static final Path WORK = Path.of("/data/videos/job/.work/attempt");
    private static final MediaInfo HD = new MediaInfo("mov", 60.0, "h264", 1280, 720, 25.0, "aac", 2);
    private static final InputPolicy POLICY = new InputPolicy(21600, 35389440, 240);
    private static final double NTSC = 30000 / 1001.0;
    private static Preset ladder;

    @BeforeAll
    static void load() throws Exception {
        ladder = PresetCatalog.load(null, Set.of()).find("hls-ladder").orElseThrow();
    }

    @Test
    void a_segment_encodes_every_rendition_of_its_frames_with_keyframes_where_its_hls_segments_begin() {
        List<String> args = SegmentArguments.segment(Path.of("in.mp4"), WORK, "segment-00001.mp4", ladder, HD,
                new SegmentSpan(11.98, 23.98, 12, 12), POLICY, CodecThreads.FFMPEG_CHOOSES);

        assertTrue(args.get(args.indexOf("-filter_complex") + 1).startsWith(
                "[0:V]" + POLICY.frameCap() + "trim=start=11.980000:end=23.980000,"
                + "setpts=PTS-STARTPTS+max(0\\,STARTPTS-12.000000/TB),"
                + PictureFit.PREPARED + ",split=5[s0][s1][s2][s3][s4];"),
                "timed from where its first frame is due, as its keyframes are");
        assertEquals("5.980000", args.get(args.indexOf("-force_key_frames:v:0") + 1), "18 s: 6 s in, half a frame early");
        assertEquals("5.980000", args.get(args.indexOf("-force_key_frames:v:4") + 1), "every rendition, each its own");
        assertEquals("145k", args.get(args.indexOf("-b:v:4") + 1));
        assertEquals("0", args.get(args.indexOf("-sc_threshold") + 1));
        assertFalse(args.contains("-f") && args.get(args.indexOf("-f") + 1).equals("hls"), "segments are MP4");
        assertEquals("file:" + WORK.resolve("segment-00001.mp4"), args.get(args.size() - 1));
    }

    @Test
    void at_an_ntsc_rate_each_keyframe_is_the_first_frame_at_or_after_its_boundary() {
        MediaInfo ntsc = new MediaInfo("mov", 120.0, "h264", 1280, 720, 29.97, "aac", 2);

        // The segment at 30 s is frames 900 (899.1 rounded up) to 1798; 36 s is frame 1079 (1078.92 up), 42 s 1259.
        assertEquals("5.955950,11.961950,17.967950,23.973950",
                LadderSegments.keyframes(ladder, ntsc, new SegmentSpan(29.98, 59.99, 30, 899 / NTSC)));
        assertEquals("", LadderSegments.keyframes(ladder, HD, new SegmentSpan(5.98, 11.98, 6, 6)),
                "a segment of one HLS segment has only its first keyframe");
    }

    @Test
    void the_join_copies_each_rendition_with_the_audio_and_packages_it_as_a_single_pass_does() {
        List<String> join = SegmentArguments.join(Path.of("list.ffconcat"), Path.of("audio.m4a"), WORK, ladder, HD);
        List<String> single = FfmpegArguments.transcode(Path.of("in.mp4"), WORK, ladder, HD, POLICY,
                CodecThreads.FFMPEG_CHOOSES);

        assertTrue(join.containsAll(List.of("-map", "0:v:4", "1:a:0", "-c", "copy")));
        assertEquals("3000k", join.get(join.indexOf("-b:v:0") + 1), "the master playlist's bandwidth as a single pass");
        assertEquals("128k", join.get(join.indexOf("-b:a") + 1));
        int hls = join.lastIndexOf("-f");
        assertEquals(single.subList(single.lastIndexOf("-f"), single.size()), join.subList(hls, join.size()),
                "the same playlists, segments and master playlist");
        assertEquals("v:0,a:0 v:1,a:1 v:2,a:2 v:3,a:3 v:4,a:4", join.get(join.indexOf("-var_stream_map") + 1));
        assertFalse(SegmentArguments.join(Path.of("l"), null, WORK, ladder, HD).contains("1:a:0"), "no audio");
    }
}
