package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.support.Media;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled ladder: the rungs a source allows, encoded in one run into fMP4 segments and playlists. */
class HlsLadderTest {

    private static final Path WORK = Path.of("/data/videos/job/.work");
    private static final MediaInfo HD = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, "aac", 2);
    private static Preset ladder;

    @BeforeAll
    static void load() throws Exception {
        ladder = PresetCatalog.load(null, Set.of()).find("hls-ladder").orElseThrow();
    }

    private static void assertAdjacent(List<String> args, String first, String second) {
        assertTrue(Collections.indexOfSubList(args, List.of(first, second)) >= 0,
                () -> first + " " + second + " not adjacent in " + args);
    }

    @Test
    void a_720p_source_gets_the_apple_ladder_from_720p_down_to_234p() {
        assertEquals(List.of(new Preset.Rendition(1280, 720, "3000k"), new Preset.Rendition(960, 540, "2000k"),
                new Preset.Rendition(768, 432, "1100k"), new Preset.Rendition(640, 360, "365k"),
                new Preset.Rendition(416, 234, "145k")), HlsLadder.renditions(ladder, HD));
    }

    @Test
    void a_1080p_source_gets_every_rung_and_a_portrait_one_the_rungs_its_short_side_allows() {
        MediaInfo fullHd = new MediaInfo("mov", 10.0, "h264", 1920, 1080, 25.0, "aac", 2);
        MediaInfo portrait = new MediaInfo("mov", 10.0, "h264", 720, 1280, 25.0, "aac", 2);
        List<Integer> heights = HlsLadder.renditions(ladder, fullHd).stream().map(Preset.Rendition::height).toList();
        assertEquals(List.of(1080, 720, 540, 432, 360, 234), heights);
        assertEquals(5, HlsLadder.renditions(ladder, portrait).size(), "720x1280: up to 720p");
    }

    @Test
    void the_ladder_is_one_run_with_a_bitrate_per_rung_and_fmp4_segments() {
        List<String> args = HlsLadder.arguments(WORK, ladder, HD, "");
        assertAdjacent(args, "-b:v:0", "3000k");
        assertAdjacent(args, "-b:v:4", "145k");
        assertAdjacent(args, "-maxrate:v:0", "3000k");
        assertAdjacent(args, "-bufsize:v:4", "145k");
        assertAdjacent(args, "-preset:v:1", "veryfast");
        assertTrue(args.get(args.indexOf("-filter_complex") + 1).startsWith("[0:V]" + PictureFit.PREPARED
                + ",split=5[s0][s1][s2][s3][s4]"));

        assertAdjacent(args, "-var_stream_map", "v:0,a:0 v:1,a:1 v:2,a:2 v:3,a:3 v:4,a:4");
        assertAdjacent(args, "-master_pl_name", "master.m3u8");
        assertAdjacent(args, "-hls_segment_type", "fmp4");
        assertAdjacent(args, "-hls_fmp4_init_filename", "init_%v.mp4");
        assertAdjacent(args, "-hls_segment_filename", "file:" + WORK.resolve("stream_%v_%03d.m4s"));
    }

    /** SVT-AV1 refuses a rate cap outside its constant quality mode: its ladder keeps its average bitrate. */
    @Test
    void an_svt_av1_ladder_is_not_capped() {
        Preset.Video video = ladder.video();
        Preset av1 = new Preset(ladder.name(), ladder.description(), ladder.container(), new Preset.Video("libsvtav1",
                video.bitrate(), video.crf(), null, video.width(), video.height(), video.upscale()), ladder.audio(),
                ladder.renditions(), ladder.segmentSeconds(), ladder.at(), ladder.keepMetadata());

        List<String> args = HlsLadder.arguments(WORK, av1, HD, "");

        assertAdjacent(args, "-b:v:0", "3000k");
        assertFalse(args.contains("-maxrate:v:0"), args.toString());
    }

    @Test
    void the_ladder_of_a_silent_source_maps_no_audio() {
        MediaInfo silent = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, null, null);
        List<String> args = HlsLadder.arguments(WORK, ladder, silent, "");
        assertAdjacent(args, "-var_stream_map", "v:0 v:1 v:2 v:3 v:4");
        assertFalse(args.contains("0:a:0"));
    }

    /**
     * A picture that ends before its sound is held to the sound's end: a still picture once a second, a video at its
     * own rate; one that ends with its sound, within half a second, is not.
     */
    @Test
    void a_picture_shorter_than_its_sound_is_held_until_the_sound_ends() {
        MediaInfo song = new MediaInfo("mov", 30.0, "h264", 640, 360, 25.0, "aac", 1, 0.0, 0.0, 0.04);
        MediaInfo shortPicture = new MediaInfo("mov", 10.0, "h264", 640, 360, 25.0, "aac", 1, 0.0, 0.0, 8.0);
        MediaInfo close = new MediaInfo("mov", 10.0, "h264", 640, 360, 25.0, "aac", 1, 0.0, 0.0, 9.6);
        MediaInfo silent = new MediaInfo("mov", 10.0, "h264", 640, 360, 25.0, null, null, 0.0, 0.0, 2.0);

        assertEquals("tpad=stop_mode=clone:stop_duration=29.960,fps=1,", HlsLadder.hold(song));
        assertTrue(HlsLadder.arguments(WORK, ladder, song, "trim=end_frame=9,").get(1)
                .startsWith("[0:V]trim=end_frame=9,tpad=stop_mode=clone:stop_duration=29.960,fps=1,"
                        + PictureFit.PREPARED));
        assertEquals("tpad=stop_mode=clone:stop_duration=2.000,", HlsLadder.hold(shortPicture));
        MediaInfo intro = new MediaInfo("mov", 620.0, "h264", 640, 360, 25.0, "aac", 1, 0.0, 0.0, 20.0);
        assertEquals("tpad=stop_mode=clone:stop_duration=600.000,", HlsLadder.hold(intro),
                "20 s of motion before a song keep their 25 frames a second");
        assertEquals("", HlsLadder.hold(close));
        assertEquals("", HlsLadder.hold(silent), "no sound to hold it for");
        assertEquals("", HlsLadder.hold(HD), "the probe did not tell the picture's length");
    }

    @Test
    void a_source_smaller_than_every_rendition_gets_the_smallest_with_its_share_of_the_bitrate() {
        MediaInfo tiny = new MediaInfo("mov", 1.0, "h264", 320, 180, 25.0, "aac", 2);
        assertEquals(List.of(new Preset.Rendition(416, 234, "145k")), HlsLadder.renditions(ladder, tiny));
        assertAdjacent(HlsLadder.arguments(WORK, ladder, tiny, ""), "-b:v:0", "86k");
        assertAdjacent(HlsLadder.arguments(WORK, ladder, tiny, ""), "-hls_fmp4_init_filename", "init_0.mp4");
    }

    /**
     * A busy scene after a calm one (noise after a still pattern), through real FFmpeg: no six seconds of a rendition
     * go past the bandwidth the master playlist declares for it (Apple's rule: within a tenth), which a player picks
     * the rendition by. Unbounded, x264's average put the busy segment at twice the rendition's rate and more.
     */
    @Test
    void a_busy_scene_stays_within_the_bandwidth_its_rendition_declares(@TempDir Path dir) throws Exception {
        FfmpegTools tools = Media.tools();
        Path input = dir.resolve("calm-then-busy.mp4");
        Media.run(tools.ffmpeg().toString(), "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:d=6",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:d=6,noise=alls=60:allf=t", "-f", "lavfi", "-i",
                "sine=duration=12", "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-map", "2:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac", "-shortest", input.toString());
        MediaInfo info = MediaInfo.parse(Media.run(withProgram(tools.ffprobe(), FfmpegArguments.probe(input))));
        Path work = Files.createDirectories(dir.resolve("work"));

        Media.run(withProgram(tools.ffmpeg(), FfmpegArguments.transcode(input, work, ladder, info,
                new InputPolicy(21600, 35389440, 240), CodecThreads.FFMPEG_CHOOSES)));

        List<String> master = Files.readAllLines(work.resolve("master.m3u8"));
        int variants = 0;
        for (int i = 0; i < master.size(); i++) {
            Matcher declared = Pattern.compile("BANDWIDTH=(\\d+)").matcher(master.get(i));
            if (master.get(i).startsWith("#EXT-X-STREAM-INF") && declared.find()) {
                variants++;
                long bandwidth = Long.parseLong(declared.group(1));
                double peak = peakBitsPerSecond(work, master.get(i + 1));
                assertTrue(peak <= bandwidth * 1.1, master.get(i + 1) + ": " + Math.round(peak) + " b/s at its peak, "
                        + bandwidth + " declared");
            }
        }
        assertTrue(variants > 0, "a rendition at least");
    }

    /** The highest rate of a media playlist's segments: each one's bits over its duration. */
    private static double peakBitsPerSecond(Path work, String playlist) throws Exception {
        double peak = 0;
        double seconds = 0;
        for (String line : Files.readAllLines(work.resolve(playlist))) {
            if (line.startsWith("#EXTINF:")) {
                seconds = Double.parseDouble(line.substring("#EXTINF:".length(), line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                peak = Math.max(peak, Files.size(work.resolve(line)) * 8 / seconds);
            }
        }
        return peak;
    }

    private static String[] withProgram(Path program, List<String> args) {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(args);
        return command.toArray(String[]::new);
    }
}
