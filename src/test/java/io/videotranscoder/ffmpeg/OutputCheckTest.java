package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verification gate refuses outputs that are not what the preset promised. */
class OutputCheckTest {

    private static final Preset H264_720 = new Preset("h264-720p", "", "mp4",
            new Preset.Video("libx264", "1000k", null, null, 1280, 720, true), new Preset.Audio("aac", "128k"),
            null, null, null, null);
    private static final Preset H264_1080 = new Preset("h264-1080p", "", "mp4",
            new Preset.Video("libx264", "4500k", null, null, 1920, 1080, false), new Preset.Audio("aac", "128k"),
            null, null, null, null);
    private static final MediaInfo INPUT = new MediaInfo("mov", 10.0, "h264", 640, 360, 25.0, "aac", 2);

    private static String probe(String videoCodec, int width, int height, String audioCodec, double duration) {
        return """
                {"frames": [{"media_type": "video"}, {"media_type": "audio"}],
                 "streams": [
                  {"codec_type": "video", "codec_name": "%s", "width": %d, "height": %d},
                  {"codec_type": "audio", "codec_name": "%s"}],
                 "format": {"duration": "%.3f"}}""".formatted(videoCodec, width, height, audioCodec, duration);
    }

    @Test
    void accepts_what_the_preset_promised() throws Exception {
        assertEquals(List.of(), problems(H264_720, INPUT, probe("h264", 1280, 720, "aac", 10.02)));
    }

    @Test
    void refuses_a_wrong_codec_size_or_duration() throws Exception {
        List<String> problems = problems(H264_720, INPUT, probe("hevc", 1920, 1080, "aac", 7.0));
        assertTrue(problems.contains("video is hevc, not h264"), problems.toString());
        assertTrue(problems.contains("1920x1080 does not fit 1280x720"), problems.toString());
        assertTrue(problems.contains("it lasts 7.00 s, the input 10.00 s"), problems.toString());
    }

    /**
     * The sound of a 60 s video whose microphone stopped at 50 s: its sound alone lasts 50 s, as its input's sound
     * does (it was refused as shorter than the input's 60 s); cut shorter, it is refused.
     */
    @Test
    void the_sound_alone_lasts_as_long_as_the_inputs_sound() throws Exception {
        Preset sound = new Preset("audio-aac", "", "m4a", null, new Preset.Audio("aac", "128k"), null, null, null,
                null);
        MediaInfo input = new MediaInfo("mov", 60.0, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 60.0, 50.0);
        String probe = """
                {"frames": [{"media_type": "audio"}], "streams": [{"codec_type": "audio", "codec_name": "aac"}],
                 "format": {"duration": "%.3f"}}""";

        assertEquals(List.of(), problems(sound, input, probe.formatted(50.02)));
        assertEquals(List.of("it lasts 40.00 s, the input 50.00 s"), problems(sound, input, probe.formatted(40.0)));
    }

    /** A Matroska file written as a stream states no length: FFmpeg's -t cut it at the limit, and it exited 0. */
    @Test
    void refuses_an_output_as_long_as_the_limit_of_an_input_of_unknown_length() throws Exception {
        MediaInfo unknownLength = new MediaInfo("matroska,webm", null, "h264", 1920, 1080, 25.0, "aac", 2);

        assertEquals(List.of(), OutputCheck.problems(H264_720, unknownLength, probe("h264", 1280, 720, "aac", 10),
                21_600));
        List<String> problems = OutputCheck.problems(H264_720, unknownLength, probe("h264", 1280, 720, "aac", 21_600),
                21_600);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("TRANSCODER_MAX_INPUT_SECONDS"), problems.toString());
    }

    @Test
    void accepts_a_portrait_picture_in_the_box_turned() throws Exception {
        MediaInfo portrait = new MediaInfo("mov", 10.0, "h264", 720, 1280, 25.0, "aac", 2);
        assertEquals(List.of(), problems(H264_720, portrait, probe("h264", 720, 1280, "aac", 10)));
        assertEquals(List.of("720x1282 does not fit 1280x720"),
                problems(H264_720, portrait, probe("h264", 720, 1282, "aac", 10)));
    }

    @Test
    void refuses_an_output_whose_frames_do_not_decode() throws Exception {
        String undecodable = probe("h264", 1280, 720, "aac", 10).replace("{\"media_type\": \"video\"}, ", "");
        assertEquals(List.of("no video frame decodes"), problems(H264_720, INPUT, undecodable));
    }

    @Test
    void refuses_an_enlarged_picture_when_the_preset_does_not_enlarge() throws Exception {
        List<String> problems = problems(H264_1080, INPUT, probe("h264", 1280, 720, "aac", 10));
        assertEquals(List.of("1280x720 is larger than the source"), problems);
    }

    @Test
    void refuses_an_output_without_the_inputs_sound_or_with_odd_sizes() throws Exception {
        List<String> problems = problems(H264_720, INPUT, probe("h264", 1279, 719, "mp3", 10));
        assertTrue(problems.contains("no aac audio"), problems.toString());
        assertTrue(problems.contains("1279x719 is not even"), problems.toString());
    }

    /**
     * A still picture with eleven minutes of sound, encoded as a job's one-file output is (the picture's one frame
     * given last by x264, the muxer waiting ten minutes for it): the first packets are all sound, and the job failed
     * as "no video frame decodes". The verification looks at the video alone, however far into the file.
     */
    @Test
    void the_picture_of_a_still_with_a_long_song_is_found_past_ten_minutes_of_sound(@TempDir Path dir)
            throws Exception {
        Path picture = dir.resolve("cover.png");
        String ffmpeg = Media.tools().ffmpeg().toString();
        Media.run(ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1",
                picture.toString());
        Path output = dir.resolve("output.mov");
        Media.run(ffmpeg, "-v", "error", "-i", picture.toString(), "-f", "lavfi", "-i",
                "sine=duration=660:sample_rate=8000", "-c:v", "libx264", "-c:a", "pcm_s16le", "-max_interleave_delta",
                Long.toString(FfmpegArguments.INTERLEAVE_WAIT.toNanos() / 1000), output.toString());
        MediaInfo song = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1, 0.0, 0.0, 0.04);
        MediaInfo unknownPicture = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1);

        assertTrue(OutputCheck.pictureAlone(H264_720, song));
        assertEquals(List.of(), verify(output, song));
        MediaInfo wholeSong = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1, 0.0, 0.0, 0.04, 660.0);
        SoundCheck.Read sound = SoundCheck.needed(H264_720, wholeSong, output, probe(FfmpegArguments.verify(output,
                H264_720, wholeSong)));
        assertEquals(List.of(), sound.problems(probe(FfmpegArguments.soundEnd(sound))), "the song read to its end");
        MediaInfo silentInput = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, null, null, 0.0, 0.0, 0.04);
        assertEquals(List.of(), verify(output, silentInput), "no sound asked for");
        assertTrue(verify(output, unknownPicture).contains("no video frame decodes"), "the first packets alone");
        assertFalse(OutputCheck.pictureAlone(PresetCatalog.load(null, Set.of()).find("hls-ladder").orElseThrow(),
                song), "a ladder holds its picture");
        MediaInfo slideshow = new MediaInfo("mov", 800.0, "h264", 64, 64, 0.0025, "aac", 1, 0.0, 0.0, 800.0);
        assertTrue(OutputCheck.pictureAlone(H264_720, slideshow), "two pictures over 800 s of podcast");
        assertTrue(OutputCheck.pictureAlone(H264_720, new MediaInfo("matroska,webm", 660.0, "h264", 64, 64, null,
                "aac", 1, 0.0, 0.0, 0.04)), "a rate not told, a picture that ends 11 minutes before its sound");
        assertFalse(OutputCheck.pictureAlone(H264_720, new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1,
                0.0, 0.0, 600.0)), "a video that ends a minute before its sound: its first packets come at once");
    }

    /** Where only the picture's streams are described, the file's count of streams tells the sound is missing. */
    @Test
    void a_picture_alone_output_without_its_sound_is_refused() throws Exception {
        MediaInfo song = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1, 0.0, 0.0, 0.04);
        String pictureOnly = """
                {"frames": [{"media_type": "video"}],
                 "streams": [{"codec_type": "video", "codec_name": "h264", "width": 64, "height": 64}],
                 "format": {"duration": "660.000", "nb_streams": %d}}""";

        assertEquals(List.of(), problems(H264_720, song, pictureOnly.formatted(2)));
        assertEquals(List.of("it has no audio stream"), problems(H264_720, song, pictureOnly.formatted(1)));
    }

    /**
     * A video whose picture's second half does not decode, encoded as a job would be: FFmpeg exits 0, its output's
     * picture lasts 2 s under the whole 4 s sound, and the file as long as the input, which passed for a success. Each
     * stream's length is checked, in MP4 and in WebM (which states them in Matroska's tags); the whole input passes.
     */
    @Test
    void a_picture_cut_short_under_its_whole_sound_is_refused(@TempDir Path dir) throws Exception {
        Path damaged = Media.damagedPicture(dir, "damaged.mp4", 4, 2);
        String ffmpeg = Media.tools().ffmpeg().toString();
        MediaInfo input = MediaInfo.parse(Media.run(Media.tools().ffprobe().toString(), "-v", "error",
                "-print_format", "json", "-show_format", "-show_streams", damaged.toString()));
        assertEquals(4.0, input.videoSeconds(), 0.01, "the file states the whole picture");
        Path mp4 = dir.resolve("output.mp4");
        Media.run(ffmpeg, "-v", "quiet", "-i", damaged.toString(), "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "aac", mp4.toString());
        Preset vp9 = PresetCatalog.load(null, Set.of()).find("vp9-720p").orElseThrow();
        Path webm = dir.resolve("output.webm");
        Media.run(ffmpeg, "-v", "quiet", "-i", damaged.toString(), "-c:v", "libvpx-vp9", "-deadline", "realtime",
                "-c:a", "libopus", webm.toString());

        assertEquals(List.of("its picture lasts 2.04 s, the input's 4.00 s"), verify(H264_720, mp4, input));
        assertEquals(List.of("its picture lasts 2.04 s, the input's 4.00 s"), verify(vp9, webm, input));
        Path whole = Media.clip(dir, "whole.mp4", 4, "320x240");
        MediaInfo wholeInput = MediaInfo.parse(Media.run(Media.tools().ffprobe().toString(), "-v", "error",
                "-print_format", "json", "-show_format", "-show_streams", whole.toString()));
        Media.run(ffmpeg, "-v", "error", "-y", "-i", whole.toString(), "-c:v", "libvpx-vp9", "-deadline", "realtime",
                "-c:a", "libopus", webm.toString());
        assertEquals(List.of(), verify(vp9, webm, wholeInput));
    }

    /**
     * A picture whose last frame is held 20 s (a still a screen recording ends on), through the hevc-1080p preset's
     * own arguments: x265 (as SVT-AV1) gives the last frame the others' time, and the output's picture lasts 11 s of
     * the input's 30 s. Its frames are not evenly timed, so its length is not compared, and the job is not failed.
     */
    @Test
    void a_last_frame_held_long_that_the_encoder_shortens_is_not_taken_for_a_cut_picture(@TempDir Path dir)
            throws Exception {
        Path input = dir.resolve("ends-on-a-still.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-filter_complex",
                "testsrc=rate=1:duration=10:size=160x120[a];testsrc=rate=0.05:duration=20:size=160x120[b];"
                + "[a][b]concat=n=2:v=1:a=0[v];sine=duration=30[s]", "-map", "[v]", "-map", "[s]", "-fps_mode", "vfr",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", input.toString());
        MediaInfo info = MediaInfo.parse(probe(FfmpegArguments.probe(input)));
        Preset preset = PresetCatalog.load(null, Set.of()).find("hevc-1080p").orElseThrow();
        List<String> encode = new ArrayList<>(List.of(Media.tools().ffmpeg().toString()));
        encode.addAll(FfmpegArguments.transcode(input, dir, preset, info, new InputPolicy(21_600, 35_389_440, 240),
                CodecThreads.FFMPEG_CHOOSES));
        Media.run(encode.toArray(String[]::new));
        Path output = dir.resolve(preset.mainOutput());

        assertFalse(info.evenlyTimed(), info.toString());
        assertEquals(11.0, MediaChecks.duration(output, "v:0"), 0.1, "the encoder shortened the held frame");
        assertEquals(List.of(), verify(preset, output, info));
    }

    /**
     * The picture of an MP4 input whose frames are evenly timed is compared; of one whose frames are not, or of
     * another container (whose average rate may be its nominal one), it is not.
     */
    @Test
    void the_picture_is_compared_where_the_inputs_frames_are_evenly_timed_in_an_mp4() throws Exception {
        String mp4 = "mov,mp4,m4a,3gp,3g2,mj2";
        String probe = streamLengths("5.000", "10.000");

        assertEquals(List.of("its picture lasts 5.00 s, the input's 10.00 s"), problems(H264_720,
                new MediaInfo(mp4, 10.0, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 10.0, 10.0, 25.0), probe));
        assertEquals(List.of(), problems(H264_720,
                new MediaInfo(mp4, 10.0, "h264", 640, 360, 12.0, "aac", 2, 0.0, 0.0, 10.0, 10.0, 25.0), probe),
                "a long last frame brings the average rate down");
        assertEquals(List.of(), problems(H264_720, new MediaInfo("matroska,webm", 10.0, "h264", 640, 360, 25.0,
                "aac", 2, 0.0, 0.0, 10.0, 10.0, 25.0), probe));
    }

    /**
     * A sound cut short under its whole picture is refused as well; a stream longer than the input's is not (a last
     * frame may be given more time), nor one shorter within the tolerance.
     */
    @Test
    void a_sound_cut_short_is_refused_and_a_longer_stream_is_not() throws Exception {
        MediaInfo input = new MediaInfo("mov", 10.0, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 10.0, 10.0);

        assertEquals(List.of(), problems(H264_720, input, streamLengths("10.000", "10.020")));
        assertEquals(List.of(), problems(H264_720, input, streamLengths("11.000", "9.600")), "within half a second");
        assertEquals(List.of("its sound lasts 6.00 s, the input's 10.00 s"),
                problems(H264_720, input, streamLengths("10.000", "6.000")));
    }

    /** A 720p H.264 output of 10.02 s whose picture and sound last as long as these, in seconds. */
    private static String streamLengths(String picture, String sound) {
        return """
                {"frames": [{"media_type": "video"}, {"media_type": "audio"}],
                 "streams": [
                  {"codec_type": "video", "codec_name": "h264", "width": 1280, "height": 720, "duration": "%s"},
                  {"codec_type": "audio", "codec_name": "aac", "duration": "%s"}],
                 "format": {"duration": "10.020"}}""".formatted(picture, sound);
    }

    private static List<String> verify(Path output, MediaInfo input) throws Exception {
        return verify(H264_720, output, input);
    }

    private static List<String> verify(Preset preset, Path output, MediaInfo input) throws Exception {
        return problems(preset, input, probe(FfmpegArguments.verify(output, preset, input)));
    }

    private static String probe(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Media.tools().ffprobe().toString()));
        command.addAll(args);
        return Media.run(command.toArray(String[]::new));
    }

    /** The check of an output of an input whose length is known, where the limit plays no part. */
    private static List<String> problems(Preset preset, MediaInfo input, String probeJson) throws Exception {
        return OutputCheck.problems(preset, input, probeJson, 21_600);
    }

    /**
     * A transport stream whose picture begins 0.82 s after its sound: a ladder's playlists last as long as the
     * picture, 8.00 s of the input's 8.82 s. An MP4 keeps the sound before the picture, and its whole length.
     */
    @Test
    void a_ladder_of_an_input_whose_picture_begins_late_lasts_as_long_as_the_picture() throws Exception {
        Preset ladder = PresetCatalog.load(null, Set.of()).find("hls-ladder").orElseThrow();
        MediaInfo late = new MediaInfo("mpegts", 8.82, "h264", 320, 180, 25.0, "aac", 2, 2.22, 1.40);
        int renditions = HlsLadder.renditions(ladder, late).size();
        StringBuilder streams = new StringBuilder();
        for (int i = 0; i < renditions; i++) {
            streams.append("{\"codec_type\": \"video\", \"codec_name\": \"h264\", \"width\": 320, \"height\": 180},");
        }
        String playlists = """
                {"frames": [{"media_type": "video"}], "streams": [%s{"codec_type": "audio", "codec_name": "aac"}],
                 "format": {"duration": "8.000"}}""".formatted(streams);

        assertEquals(List.of(), problems(ladder, late, playlists));
        assertEquals(List.of("it lasts 8.00 s, the input 8.82 s"), problems(H264_720, late,
                probe("h264", 320, 180, "aac", 8.0)));
    }
}
