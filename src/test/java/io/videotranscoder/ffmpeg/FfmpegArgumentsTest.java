package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FFmpeg gets one argument per list element, inputs and outputs as explicit file: URLs, one run per preset. */
class FfmpegArgumentsTest {

    private static final Path INPUT = Path.of("/data/videos/my clip -y.mp4");
    private static final Path WORK = Path.of("/data/videos/job/.work");
    private static final MediaInfo HD = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, "aac", 2);
    private static final MediaInfo PORTRAIT = new MediaInfo("mov", 10.0, "h264", 720, 1280, 25.0, "aac", 2);
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

    private static List<String> transcode(Preset preset, MediaInfo info) {
        return FfmpegArguments.transcode(INPUT, WORK, preset, info, POLICY, CodecThreads.FFMPEG_CHOOSES);
    }

    private static void assertAdjacent(List<String> args, String first, String second) {
        assertTrue(Collections.indexOfSubList(args, List.of(first, second)) >= 0,
                () -> first + " " + second + " not adjacent in " + args);
    }

    @Test
    void the_default_preset_is_the_original_services_output() {
        List<String> args = transcode(preset("h264-720p"), HD);
        assertAdjacent(args, "-c:v", "libx264");
        assertAdjacent(args, "-b:v", "1000k");
        assertAdjacent(args, "-c:a", "aac");
        assertAdjacent(args, "-f", "mp4");
        assertAdjacent(args, "-i", "file:/data/videos/my clip -y.mp4");
        assertTrue(args.contains("-nostdin"));
        assertEquals("file:" + WORK.resolve("output.mp4"), args.get(args.size() - 1));
    }

    @Test
    void ffmpeg_reports_its_progress_in_the_work_folder_as_often_as_asked() {
        assertEquals(List.of("-progress", "file:" + WORK.resolve("progress.txt"), "-stats_period", "0.250"),
                FfmpegArguments.progress(WORK, Duration.ofMillis(250)));
    }

    @Test
    void every_input_is_read_with_the_demuxer_and_protocol_whitelists_before_it() {
        for (String name : List.of("h264-720p", "hls-ladder", "thumbnail", "audio-aac")) {
            List<String> args = transcode(preset(name), HD);
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
        List<String> video = transcode(preset("h264-720p"), HD);
        assertAdjacent(video, "-t", "3600");
        assertAdjacent(video, "-fps_mode", "vfr");
        assertTrue(video.get(video.indexOf("-vf") + 1).startsWith("trim=end_frame=216000,"), video.toString());
        assertFalse(video.contains("-frames:v"), "it ended the output's sound where its picture ended");
        List<String> ladder = transcode(preset("hls-ladder"), HD);
        assertTrue(ladder.get(ladder.indexOf("-filter_complex") + 1).startsWith("[0:V]trim=end_frame=216000,"
                + PictureFit.PREPARED + ",split="));
        List<String> sound = transcode(preset("audio-aac"), HD);
        assertAdjacent(sound, "-t", "3600");
        assertFalse(sound.contains("-vf"), "no picture, no filter of it");
    }

    @Test
    void the_inputs_metadata_is_dropped_unless_the_preset_keeps_it() {
        List<String> args = transcode(preset("h264-720p"), HD);
        assertAdjacent(args, "-map_metadata", "-1");
        assertAdjacent(args, "-map_chapters", "-1");
        Preset p = preset("h264-720p");
        Preset keeping = new Preset(p.name(), p.description(), p.container(), p.video(), p.audio(), p.renditions(),
                p.segmentSeconds(), p.at(), true);
        assertFalse(transcode(keeping, HD).contains("-map_metadata"));
    }

    @Test
    void only_a_poster_a_ladder_or_a_bitrate_box_a_source_may_not_fill_waits_for_the_probe() {
        for (String name : List.of("thumbnail", "hls-ladder", "h264-1080p", "h264-480p", "vp9-720p")) {
            assertTrue(FfmpegArguments.dependsOnInput(preset(name)), name);
        }
        for (String name : List.of("h264-720p", "hevc-1080p", "av1-720p", "audio-aac")) {
            assertFalse(FfmpegArguments.dependsOnInput(preset(name)), name);
            // Started before the probe answers: the same arguments as with its findings.
            assertEquals(transcode(preset(name), PORTRAIT), transcode(preset(name), null), name);
        }
    }

    @Test
    void a_bitrate_box_a_smaller_source_does_not_fill_spends_its_share_by_pixels() {
        List<String> hd = transcode(preset("h264-1080p"), HD);
        List<String> portrait = transcode(preset("h264-1080p"), PORTRAIT);
        List<String> full = transcode(preset("h264-1080p"),
                new MediaInfo("mov", 10.0, "h264", 3840, 2160, 25.0, "aac", 2));

        assertAdjacent(hd, "-b:v", "2000k"); // 4500k x 1280x720 / 1920x1080
        assertAdjacent(portrait, "-b:v", "2000k");
        assertAdjacent(full, "-b:v", "4500k");
    }

    @Test
    void vp9_uses_webm_and_opus() {
        List<String> args = transcode(preset("vp9-720p"), HD);
        assertAdjacent(args, "-c:v", "libvpx-vp9");
        assertAdjacent(args, "-c:a", "libopus");
        assertAdjacent(args, "-af", "aformat=channel_layouts=mono|stereo|3.0|quad|5.0|5.1|6.1|7.1");
        assertAdjacent(args, "-max_interleave_delta", "600000000");
        assertFalse(transcode(preset("h264-720p"), HD).contains("-af"), "AAC takes any layout");
        assertAdjacent(args, "-f", "webm");
        assertEquals("file:" + WORK.resolve("output.webm"), args.get(args.size() - 1));
    }

    @Test
    void audio_only_drops_the_video() {
        List<String> args = transcode(preset("audio-aac"), HD);
        assertTrue(args.contains("-vn"));
        assertAdjacent(args, "-map", "0:a:0");
        assertEquals("file:" + WORK.resolve("audio.m4a"), args.get(args.size() - 1));
    }

    /**
     * A tenth into the video's own length, from its first frame, at the start of the frame shown then: a still
     * picture's one frame lasts 0.04 s, and FFmpeg's seek drops a frame that begins before it.
     */
    @Test
    void a_poster_is_taken_within_the_video_where_its_length_is_known() {
        MediaInfo song = new MediaInfo("mov", 20.0, "h264", 320, 240, 25.0, "aac", 2, 0.0, 0.0, 0.04);
        MediaInfo late = new MediaInfo("mov", 21.0, "h264", 320, 240, 25.0, "aac", 2, 1.0, 0.0, 20.3);
        // At 29.97 fps the frame shown at 1 s is the 30th, which begins at 0.96763 s: 0.968 would be the next.
        MediaInfo ntsc = new MediaInfo("mov", 10.0, "h264", 320, 240, 29.97, "aac", 2, 0.0, 0.0, 10.0);

        assertAdjacent(transcode(preset("thumbnail"), song), "-ss", "0.000");
        assertAdjacent(transcode(preset("thumbnail"), late), "-ss", "3.000");
        assertAdjacent(transcode(preset("thumbnail"), ntsc), "-ss", "0.967");
    }

    @Test
    void a_poster_is_taken_at_a_tenth_of_the_duration() {
        List<String> args = transcode(preset("thumbnail"), HD);
        assertAdjacent(args, "-ss", "1.000");
        assertAdjacent(args, "-frames:v", "1");
        assertTrue(args.indexOf("-ss") < args.indexOf("-i"), "seek before opening: fast");
        assertEquals("file:" + WORK.resolve("poster.jpg"), args.get(args.size() - 1));
    }

    @Test
    void probe_asks_for_json_about_one_file() {
        List<String> args = FfmpegArguments.probe(INPUT);
        assertAdjacent(args, "-print_format", "json");
        assertTrue(args.containsAll(List.of("-show_format", "-show_streams")));
        assertEquals("file:/data/videos/my clip -y.mp4", args.get(args.size() - 1));
    }

    @Test
    void measure_reads_the_first_picture_and_sound_to_their_end_decoding_nothing() {
        List<String> args = FfmpegArguments.measure(INPUT);

        assertAdjacent(args, "-i", "file:/data/videos/my clip -y.mp4");
        assertAdjacent(args, "-map", "0:v:0?");
        assertAdjacent(args, "-map", "0:a:0?");
        assertAdjacent(args, "-c", "copy");
        assertAdjacent(args, "-f", "null");
        assertTrue(args.containsAll(InputPolicy.readOnlyTheFile()), "the input's whitelists");
        assertTrue(args.indexOf("-format_whitelist") < args.indexOf("-i"));
        assertEquals("-", args.get(args.size() - 1));
    }

    @Test
    void threads_per_codec_bound_the_decoders_and_the_encoders_or_ffmpeg_chooses() {
        List<String> bounded = FfmpegArguments.transcode(INPUT, WORK, preset("h264-720p"), HD, POLICY,
                new CodecThreads(1));
        int input = bounded.indexOf("-i");

        assertEquals(List.of("-threads", "1"), bounded.subList(input - 2, input), "before the input: its decoders");
        assertEquals(List.of("-threads", "1"), bounded.subList(input + 2, input + 4), "after it: the encoders");
        assertFalse(transcode(preset("h264-720p"), HD).contains("-threads"), "FFmpeg's own choice by default");
    }

    /** An output whose video begins a second after its sound: its first packets are all sound. */
    @Test
    void the_verification_decodes_past_the_sound_before_a_late_video() {
        List<String> together = FfmpegArguments.verify(Path.of("/w/output.mp4"), preset("h264-720p"), HD);
        List<String> late = FfmpegArguments.verify(Path.of("/w/output.mp4"), preset("h264-720p"),
                new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, "aac", 2, 1.0, 0.0));

        assertEquals("%+#2", together.get(together.indexOf("-read_intervals") + 1), "two packets");
        assertEquals("%+1.250", late.get(late.indexOf("-read_intervals") + 1), "1.25 s from its first packet");
        assertEquals("file:/w/output.mp4", late.get(late.size() - 1));
        assertFalse(together.contains("-select_streams"), "every stream");
    }
}
