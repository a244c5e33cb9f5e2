package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FFmpeg gets one argument per list element, inputs and outputs as explicit file: URLs, one run per preset. */
class FfmpegArgumentsTest {

    private static final Path INPUT = Path.of("/data/videos/my clip -y.mp4");
    private static final Path WORK = Path.of("/data/videos/job/.work");
    private static final MediaInfo HD = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, "aac", 2);
    private static final MediaInfo PORTRAIT = new MediaInfo("mov", 10.0, "h264", 720, 1280, 25.0, "aac", 2);
    private static final MediaInfo SILENT_HD = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, null, null);
    private static final InputPolicy POLICY = new InputPolicy(3600, 8_294_400, 60);
    private static final PresetCatalog PRESETS;

    static {
        try {
            PRESETS = PresetCatalog.load(null, Set.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Preset preset(String name) {
        return PRESETS.find(name).orElseThrow();
    }

    private static void assertAdjacent(List<String> args, String first, String second) {
        assertTrue(Collections.indexOfSubList(args, List.of(first, second)) >= 0,
                () -> first + " " + second + " not adjacent in " + args);
    }

    @Test
    void the_default_preset_is_the_original_services_output() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("h264-720p"), HD, POLICY);
        assertAdjacent(args, "-c:v", "libx264");
        assertAdjacent(args, "-b:v", "1000k");
        assertAdjacent(args, "-c:a", "aac");
        assertAdjacent(args, "-f", "mp4");
        assertAdjacent(args, "-i", "file:/data/videos/my clip -y.mp4");
        assertAdjacent(args, "-progress", "file:" + WORK.resolve("progress.txt"));
        assertTrue(args.contains("-nostdin"));
        assertEquals("file:" + WORK.resolve("output.mp4"), args.get(args.size() - 1));
    }

    @Test
    void every_input_is_read_with_the_demuxer_and_protocol_whitelists_before_it() {
        for (String name : List.of("h264-720p", "hls-ladder", "thumbnail", "audio-aac")) {
            List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset(name), HD, POLICY);
            int input = args.indexOf("-i");
            assertAdjacent(args, "-protocol_whitelist", "file");
            assertAdjacent(args, "-format_whitelist", String.join(",", InputPolicy.DEMUXERS));
            assertAdjacent(args, "-max_pixels", "8294400");
            assertTrue(args.indexOf("-format_whitelist") < input && args.indexOf("-max_pixels") < input, name);
        }
        List<String> probe = FfmpegArguments.probe(INPUT);
        assertTrue(probe.indexOf("-format_whitelist") >= 0 && probe.indexOf("-format_whitelist") < probe.size() - 1);
        assertFalse(InputPolicy.DEMUXERS.stream().anyMatch(d -> d.matches("hls|dash|concat|sdp|imf|image2.*|.*_pipe")));
    }

    @Test
    void outputs_are_bounded_and_never_fill_timestamp_gaps_with_copies() {
        List<String> video = FfmpegArguments.transcode(INPUT, WORK, preset("h264-720p"), HD, POLICY);
        assertAdjacent(video, "-t", "3600");
        assertAdjacent(video, "-fps_mode", "vfr");
        assertAdjacent(video, "-frames:v", "216000");
        List<String> sound = FfmpegArguments.transcode(INPUT, WORK, preset("audio-aac"), HD, POLICY);
        assertAdjacent(sound, "-t", "3600");
        assertFalse(sound.contains("-frames:v"));
    }

    @Test
    void the_inputs_metadata_is_dropped_unless_the_preset_keeps_it() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("h264-720p"), HD, POLICY);
        assertAdjacent(args, "-map_metadata", "-1");
        assertAdjacent(args, "-map_chapters", "-1");
        Preset p = preset("h264-720p");
        Preset keeping = new Preset(p.name(), p.description(), p.container(), p.video(), p.audio(), p.renditions(),
                p.segmentSeconds(), p.at(), true);
        assertFalse(FfmpegArguments.transcode(INPUT, WORK, keeping, HD, POLICY).contains("-map_metadata"));
    }

    @Test
    void only_a_poster_a_ladder_or_a_bitrate_box_a_source_may_not_fill_waits_for_the_probe() {
        for (String name : List.of("thumbnail", "hls-ladder", "h264-1080p", "h264-480p", "vp9-720p")) {
            assertTrue(FfmpegArguments.dependsOnInput(preset(name)), name);
        }
        for (String name : List.of("h264-720p", "hevc-1080p", "av1-720p", "audio-aac")) {
            assertFalse(FfmpegArguments.dependsOnInput(preset(name)), name);
            // Started before the probe answers: the same arguments as with its findings.
            assertEquals(FfmpegArguments.transcode(INPUT, WORK, preset(name), PORTRAIT, POLICY),
                    FfmpegArguments.transcode(INPUT, WORK, preset(name), null, POLICY), name);
        }
    }

    @Test
    void scaling_keeps_the_shape_turns_the_box_for_portrait_and_enlarges_only_when_the_preset_says_so() {
        Preset.Video enlarge = new Preset.Video("libx264", "1000k", null, null, 1280, 720, true);
        Preset.Video keep = new Preset.Video("libx264", "1000k", null, null, 1920, 1080, false);
        assertEquals("scale=w='if(gt(ih,iw),720,1280)':h='if(gt(ih,iw),1280,720)'"
                     + ":force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1",
                FfmpegArguments.scale(enlarge));
        assertEquals("scale=w='min(if(gt(ih,iw),1080,1920),iw)':h='min(if(gt(ih,iw),1920,1080),ih)'"
                     + ":force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1",
                FfmpegArguments.scale(keep));
    }

    @Test
    void the_fitted_size_turns_the_box_for_a_portrait_source() {
        assertArrayEquals(new int[] {1280, 720}, FfmpegArguments.fitted(1920, 1080, 1280, 720));
        assertArrayEquals(new int[] {720, 1280}, FfmpegArguments.fitted(1920, 1080, 720, 1280));
        assertArrayEquals(new int[] {1080, 1920}, FfmpegArguments.fitted(1920, 1080, 2160, 3840));
        assertArrayEquals(new int[] {640, 480}, FfmpegArguments.fitted(1920, 1080, 640, 480));
        assertArrayEquals(new int[] {480, 852}, FfmpegArguments.fitted(854, 480, 720, 1280));
    }

    @Test
    void a_bitrate_box_a_smaller_source_does_not_fill_spends_its_share_by_pixels() {
        List<String> hd = FfmpegArguments.transcode(INPUT, WORK, preset("h264-1080p"), HD, POLICY);
        List<String> portrait = FfmpegArguments.transcode(INPUT, WORK, preset("h264-1080p"), PORTRAIT, POLICY);
        List<String> full = FfmpegArguments.transcode(INPUT, WORK, preset("h264-1080p"),
                new MediaInfo("mov", 10.0, "h264", 3840, 2160, 25.0, "aac", 2), POLICY);

        assertAdjacent(hd, "-b:v", "2000k"); // 4500k x 1280x720 / 1920x1080
        assertAdjacent(portrait, "-b:v", "2000k");
        assertAdjacent(full, "-b:v", "4500k");
        assertEquals("64k", FfmpegArguments.bitrate("4M", 1920, 1080, false,
                new MediaInfo("mov", 1.0, "h264", 32, 18, 25.0, null, null)));
        assertEquals("1000k", FfmpegArguments.bitrate("1000k", 1280, 720, true, HD), "an enlarging box is filled");
    }

    @Test
    void vp9_uses_webm_and_opus() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("vp9-720p"), HD, POLICY);
        assertAdjacent(args, "-c:v", "libvpx-vp9");
        assertAdjacent(args, "-c:a", "libopus");
        assertAdjacent(args, "-f", "webm");
        assertEquals("file:" + WORK.resolve("output.webm"), args.get(args.size() - 1));
    }

    @Test
    void audio_only_drops_the_video() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("audio-aac"), HD, POLICY);
        assertTrue(args.contains("-vn"));
        assertAdjacent(args, "-map", "0:a:0");
        assertEquals("file:" + WORK.resolve("audio.m4a"), args.get(args.size() - 1));
    }

    @Test
    void a_poster_is_taken_at_a_tenth_of_the_duration() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("thumbnail"), HD, POLICY);
        assertAdjacent(args, "-ss", "1.000");
        assertAdjacent(args, "-frames:v", "1");
        assertTrue(args.indexOf("-ss") < args.indexOf("-i"), "seek before opening: fast");
        assertEquals("file:" + WORK.resolve("poster.jpg"), args.get(args.size() - 1));
    }

    @Test
    void a_720p_source_gets_the_apple_ladder_from_720p_down_to_234p() {
        assertEquals(List.of(new Preset.Rendition(1280, 720, "3000k"), new Preset.Rendition(960, 540, "2000k"),
                new Preset.Rendition(768, 432, "1100k"), new Preset.Rendition(640, 360, "365k"),
                new Preset.Rendition(416, 234, "145k")), FfmpegArguments.renditions(preset("hls-ladder"), HD));
    }

    @Test
    void a_1080p_source_gets_every_rung_and_a_portrait_one_the_rungs_its_short_side_allows() {
        MediaInfo fullHd = new MediaInfo("mov", 10.0, "h264", 1920, 1080, 25.0, "aac", 2);
        List<Integer> heights = FfmpegArguments.renditions(preset("hls-ladder"), fullHd).stream()
                .map(Preset.Rendition::height).toList();
        assertEquals(List.of(1080, 720, 540, 432, 360, 234), heights);
        assertEquals(5, FfmpegArguments.renditions(preset("hls-ladder"), PORTRAIT).size(), "720x1280: up to 720p");
    }

    @Test
    void the_ladder_is_one_run_with_a_bitrate_per_rung_and_fmp4_segments() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("hls-ladder"), HD, POLICY);
        assertAdjacent(args, "-var_stream_map", "v:0,a:0 v:1,a:1 v:2,a:2 v:3,a:3 v:4,a:4");
        assertAdjacent(args, "-master_pl_name", "master.m3u8");
        assertAdjacent(args, "-b:v:0", "3000k");
        assertAdjacent(args, "-b:v:4", "145k");
        assertAdjacent(args, "-preset:v:1", "veryfast");
        assertAdjacent(args, "-hls_segment_type", "fmp4");
        assertAdjacent(args, "-hls_fmp4_init_filename", "init_%v.mp4");
        assertAdjacent(args, "-hls_segment_filename", "file:" + WORK.resolve("stream_%v_%03d.m4s"));
        assertTrue(args.get(args.indexOf("-filter_complex") + 1).startsWith("[0:v]split=5[s0][s1][s2][s3][s4]"));
    }

    @Test
    void the_ladder_of_a_silent_source_maps_no_audio() {
        List<String> args = FfmpegArguments.transcode(INPUT, WORK, preset("hls-ladder"), SILENT_HD, POLICY);
        assertAdjacent(args, "-var_stream_map", "v:0 v:1 v:2 v:3 v:4");
        assertFalse(args.contains("0:a:0"));
    }

    @Test
    void a_source_smaller_than_every_rendition_gets_the_smallest_with_its_share_of_the_bitrate() {
        MediaInfo tiny = new MediaInfo("mov", 1.0, "h264", 320, 180, 25.0, "aac", 2);
        assertEquals(List.of(new Preset.Rendition(416, 234, "145k")),
                FfmpegArguments.renditions(preset("hls-ladder"), tiny));
        assertAdjacent(FfmpegArguments.transcode(INPUT, WORK, preset("hls-ladder"), tiny, POLICY), "-b:v:0", "86k");
    }

    @Test
    void probe_asks_for_json_about_one_file() {
        List<String> args = FfmpegArguments.probe(INPUT);
        assertAdjacent(args, "-print_format", "json");
        assertTrue(args.containsAll(List.of("-show_format", "-show_streams")));
        assertEquals("file:/data/videos/my clip -y.mp4", args.get(args.size() - 1));
    }
}
