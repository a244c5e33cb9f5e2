package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** ffprobe's JSON becomes format, duration, the first real video stream and the first audio stream. */
class MediaInfoTest {

    @Test
    void reads_a_video_with_audio() throws IOException {
        MediaInfo info = MediaInfo.parse("""
                {
                  "streams": [
                    {"index": 0, "codec_name": "h264", "codec_type": "video", "profile": "High",
                     "width": 320, "height": 240, "pix_fmt": "yuv420p", "r_frame_rate": "25/1",
                     "disposition": {"default": 1, "attached_pic": 0}},
                    {"index": 1, "codec_name": "aac", "codec_type": "audio", "sample_rate": "44100",
                     "channels": 2, "disposition": {"default": 1, "attached_pic": 0}}
                  ],
                  "format": {"filename": "file:/data/x/input.mp4", "nb_streams": 2,
                    "format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "1.000000", "size": "25000",
                    "bit_rate": "200000"}
                }
                """);
        assertEquals("mov,mp4,m4a,3gp,3g2,mj2", info.format());
        assertEquals(1.0, info.durationSeconds());
        assertEquals("h264", info.videoCodec());
        assertEquals(320, info.width());
        assertEquals(240, info.height());
        assertEquals("aac", info.audioCodec());
        assertTrue(info.hasVideo());
    }

    @Test
    void a_clip_stored_landscape_and_shown_turned_a_quarter_is_portrait() throws IOException {
        String stream = """
                {"streams": [{"codec_name": "h264", "codec_type": "video", "width": 1280, "height": 720, %s}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2"}}""";
        MediaInfo matrix = MediaInfo.parse(stream.formatted("""
                "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]"""));
        MediaInfo tag = MediaInfo.parse(stream.formatted("\"tags\": {\"rotate\": \"270\"}"));
        MediaInfo upsideDown = MediaInfo.parse(stream.formatted("""
                "side_data_list": [{"side_data_type": "Display Matrix", "rotation": 180}]"""));

        assertEquals(List.of(720, 1280), List.of(matrix.width(), matrix.height()));
        assertEquals(List.of(720, 1280), List.of(tag.width(), tag.height()));
        assertEquals(List.of(1280, 720), List.of(upsideDown.width(), upsideDown.height()));
    }

    @Test
    void audio_only_has_no_video() throws IOException {
        MediaInfo info = MediaInfo.parse("""
                {"streams": [{"index": 0, "codec_name": "mp3", "codec_type": "audio"}],
                 "format": {"format_name": "mp3", "duration": "3.500000"}}
                """);
        assertFalse(info.hasVideo());
        assertNull(info.width());
        assertNull(info.height());
        assertEquals("mp3", info.audioCodec());
        assertEquals(3.5, info.durationSeconds());
    }

    /** The video's own length, where its stream tells (or Matroska's tag): a song's picture is one frame. */
    @Test
    void the_video_has_a_length_of_its_own() throws IOException {
        MediaInfo song = MediaInfo.parse("""
                {"streams": [{"codec_name": "h264", "codec_type": "video", "width": 320, "height": 240,
                              "start_time": "0.000000", "duration": "0.040000"},
                             {"codec_name": "aac", "codec_type": "audio", "start_time": "0.000000",
                              "duration": "20.000000"}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "20.000000"}}
                """);
        MediaInfo tagged = MediaInfo.parse("""
                {"streams": [{"codec_name": "h264", "codec_type": "video", "tags": {"DURATION": "00:00:12.500000000"}}],
                 "format": {"format_name": "matroska,webm", "duration": "12.500000"}}
                """);

        assertEquals(0.04, song.videoSeconds());
        assertEquals(20.0, song.durationSeconds());
        assertEquals(12.5, tagged.videoSeconds());
        assertNull(MediaInfo.parse("""
                {"streams": [{"codec_name": "aac", "codec_type": "audio", "duration": "3.0"}], "format": {}}
                """).videoSeconds());
    }

    /** Raw AAC and MP3 state no length FFmpeg trusts: measured (30 s), unknown when the measure told none. */
    @Test
    void the_length_of_raw_aac_or_mp3_is_guessed_and_measured_then() throws IOException {
        String probe = """
                {"streams": [{"codec_name": "aac", "codec_type": "audio", "channels": 2}],
                 "format": {"format_name": "%s", "duration": "362.574109"}}
                """;
        MediaInfo aac = MediaInfo.parse(probe.formatted("aac"));

        assertTrue(aac.lengthGuessed());
        assertTrue(MediaInfo.parse(probe.formatted("mp3")).lengthGuessed());
        assertFalse(MediaInfo.parse(probe.formatted("mov,mp4,m4a,3gp,3g2,mj2")).lengthGuessed());
        assertEquals(new MediaInfo("aac", 30.016, null, null, null, null, "aac", 2), aac.measured(30.016));
        assertNull(aac.measured(null).durationSeconds());
        MediaInfo guessedStream = MediaInfo.parse("""
                {"streams": [{"codec_name": "mp3", "codec_type": "audio", "duration": "362.5", "start_time": "0"}],
                 "format": {"format_name": "mp3", "duration": "362.574109"}}
                """);
        assertEquals(362.5, guessedStream.soundSeconds(), "the stream's length is the same guess");
        assertNull(guessedStream.measured(30.0).soundSeconds(), "which goes once the input is measured");
    }

    /** A video whose microphone stopped before its camera: the sound's own length, which its sound alone lasts. */
    @Test
    void the_sounds_own_length_is_read() throws IOException {
        MediaInfo info = MediaInfo.parse("""
                {"streams": [{"codec_type": "video", "codec_name": "h264", "duration": "60.0", "start_time": "0"},
                             {"codec_type": "audio", "codec_name": "aac", "duration": "50.0", "start_time": "0"}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "60.0"}}
                """);

        assertEquals(60.0, info.durationSeconds());
        assertEquals(50.0, info.soundSeconds());
    }

    /**
     * FFmpeg's Matroska muxer tags a stream with the time of its end, counted from 0: a sound that begins 1 s in and
     * lasts 2 s is tagged 3 s (what FFmpeg wrote). mkvmerge's tags, and a stream that begins at 0, are lengths, in a
     * file mkvmerge remuxed from FFmpeg's too (it keeps the file's ENCODER tag; its streams' statistics name it).
     */
    @Test
    void a_late_sounds_own_length_in_matroska_ffmpeg_wrote_is_its_tag_less_its_start() throws IOException {
        String probe = """
                {"streams": [{"codec_type": "video", "codec_name": "h264", "start_time": "0.000000",
                              "tags": {"ENCODER": "Lavc60.31.102 libx264", "DURATION": "00:00:04.000000000"}},
                             {"codec_type": "audio", "codec_name": "aac", "start_time": "0.977000",
                              "tags": {"ENCODER": "Lavc60.31.102 aac", "DURATION": "00:00:03.023000000"}}],
                 "format": {"format_name": "matroska,webm", "start_time": "0.000000", "duration": "4.000000",
                            "tags": {"ENCODER": "%s"}}}
                """;
        MediaInfo ffmpeg = MediaInfo.parse(probe.formatted("Lavf60.16.100"));
        MediaInfo mkvmerge = MediaInfo.parse(probe.formatted("libebml v1.4.4 + libmatroska v1.7.1"));
        MediaInfo remuxed = MediaInfo.parse(probe.formatted("Lavf60.16.100").replace("\"DURATION\": \"00:00:03",
                "\"_STATISTICS_WRITING_APP\": \"mkvmerge v80.0\", \"DURATION\": \"00:00:03"));

        assertEquals(2.046, ffmpeg.soundSeconds(), 1e-9);
        assertEquals(4.0, ffmpeg.videoSeconds());
        assertEquals(4.0, ffmpeg.durationSeconds());
        assertEquals(3.023, mkvmerge.soundSeconds());
        assertEquals(3.023, remuxed.soundSeconds());
    }

    /**
     * mkvmerge writes its statistics in English, and ffprobe names a tag in a language other than "und" with the
     * language after a dash (checked on a file FFmpeg's muxer wrote with such tags).
     */
    @Test
    void mkvmerge_s_statistics_in_english_are_read_as_its_own() throws IOException {
        String probe = """
                {"streams": [{"codec_type": "video", "codec_name": "h264", "start_time": "0.000000",
                              "tags": {"DURATION-eng": "00:00:04.000000000"}},
                             {"codec_type": "audio", "codec_name": "aac", "start_time": "0.977000",
                              "tags": {"_STATISTICS_WRITING_APP-eng": "mkvmerge v70.0.0", "BPS-eng": "128000",
                                       "DURATION-eng": "00:00:03.023000000"}}],
                 "format": {"format_name": "matroska,webm", "start_time": "0.000000", "duration": "4.000000",
                            "tags": {"ENCODER": "Lavf60.16.100"}}}
                """;
        MediaInfo remuxed = MediaInfo.parse(probe);

        assertEquals(3.023, remuxed.soundSeconds(), "a length, not the time of its end");
        assertEquals(4.0, remuxed.videoSeconds(), "read from DURATION-eng");
    }

    /** A Matroska or WebM file written as a stream (a browser's recording) states no length: it is measured. */
    @Test
    void a_matroska_file_that_states_no_length_is_measured() throws IOException {
        String probe = """
                {"streams": [{"codec_name": "vp8", "codec_type": "video", "width": 640, "height": 360,
                              "avg_frame_rate": "30/1", "start_time": "0.000000"}],
                 "format": {"format_name": "matroska,webm", "start_time": "0.000000"%s}}
                """;

        assertTrue(MediaInfo.parse(probe.formatted("")).lengthGuessed());
        assertFalse(MediaInfo.parse(probe.formatted(", \"duration\": \"4.000000\"")).lengthGuessed());
    }

    @Test
    void cover_art_is_not_video() throws IOException {
        MediaInfo info = MediaInfo.parse("""
                {"streams": [
                   {"index": 0, "codec_name": "mp3", "codec_type": "audio", "disposition": {"attached_pic": 0}},
                   {"index": 1, "codec_name": "mjpeg", "codec_type": "video", "width": 500, "height": 500,
                    "disposition": {"attached_pic": 1}}],
                 "format": {"format_name": "mp3"}}
                """);
        assertFalse(info.hasVideo());
        assertNull(info.videoCodec());
        assertNull(info.durationSeconds());
        assertEquals("mp3", info.audioCodec());
    }

    @Test
    void a_real_video_after_cover_art_counts() throws IOException {
        MediaInfo info = MediaInfo.parse("""
                {"streams": [
                   {"codec_name": "png", "codec_type": "video", "disposition": {"attached_pic": 1}},
                   {"codec_name": "vp9", "codec_type": "video", "width": 640, "height": 360}],
                 "format": {}}
                """);
        assertEquals("vp9", info.videoCodec());
        assertEquals(640, info.width());
        assertNull(info.format());
        assertNull(info.audioCodec());
    }

    /**
     * What ffprobe says of a Matroska cut whose timestamps begin at 10 s, written by FFmpeg: it plays 3 s, not the 13 s
     * it states. mkvmerge (a split's second part, 10 s on) and transport streams state the length itself.
     */
    @Test
    void a_matroska_file_ffmpeg_wrote_that_begins_late_lasts_from_its_first_timestamp() throws IOException {
        String probe = """
                {
                  "streams": [{"index": 0, "codec_name": "h264", "codec_type": "video", "width": 320, "height": 240,
                               "avg_frame_rate": "25/1", "start_time": "10.000000"}],
                  "format": {"format_name": "%s", "start_time": "9.977000", "duration": "%s",
                             "tags": {"%s": "%s"}}
                }
                """;

        MediaInfo lavf = MediaInfo.parse(probe.formatted("matroska,webm", "13.023000", "ENCODER", "Lavf60.16.100"));
        assertEquals(3.046, lavf.durationSeconds(), 1e-9);
        assertEquals(10.0, lavf.videoStart());
        assertEquals(0.023, lavf.videoDelay(), 1e-9, "its sound begins 23 ms before its picture");
        assertEquals(10.0, MediaInfo.parse(probe.formatted("matroska,webm", "10.000000", "encoder",
                "libebml v1.4.4 + libmatroska v1.7.1")).durationSeconds(), 1e-9, "mkvmerge's own length");
        assertEquals(13.023, MediaInfo.parse(probe.formatted("mpegts", "13.023000", "x", "y")).durationSeconds(), 1e-9,
                "a transport stream's duration begins at its first timestamp already");
    }

    /** A probe that does not tell when the input begins gives its video no delay. */
    @Test
    void a_video_delay_needs_both_starts() throws IOException {
        MediaInfo untold = MediaInfo.parse("""
                {"streams": [{"codec_type": "video", "codec_name": "h264", "start_time": "1.000000"}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2"}}
                """);

        assertEquals(1.0, untold.videoStart());
        assertEquals(0.0, untold.videoDelay());
    }

    /**
     * DV, DVD and broadcast SD store their picture with pixels that are not square: a PAL 16:9 frame is 720x576 at
     * 64:45, shown 1024x576, and so it is sized (and turned a quarter, as stored landscape).
     */
    @Test
    void pixels_that_are_not_square_stretch_the_picture_as_shown() throws IOException {
        String probe = """
                {"streams": [{"codec_type": "video", "codec_name": "dvvideo", "width": 720, "height": 576,
                              "sample_aspect_ratio": "%s"%s}], "format": {"format_name": "avi"}}
                """;

        MediaInfo pal = MediaInfo.parse(probe.formatted("64:45", ""));
        MediaInfo turned = MediaInfo.parse(probe.formatted("64:45", ", \"side_data_list\": [{\"rotation\": 90}]"));

        assertEquals(List.of(1024, 576), List.of(pal.width(), pal.height()));
        assertEquals(List.of(576, 1024), List.of(turned.width(), turned.height()));
        assertEquals(720, MediaInfo.parse(probe.formatted("0:1", "")).width(), "unknown: square");
        assertEquals(2880, MediaInfo.parse(probe.formatted("100:1", "")).width(), "at most 4:1");
        MediaInfo tall = MediaInfo.parse(probe.formatted("1:1000", ""));
        assertEquals(List.of(720, 2304), List.of(tall.width(), tall.height()), "tall pixels, at most 1:4");
    }

    /**
     * A second audio track, or subtitles, that last longer than the picture and the first sound: no output keeps them,
     * so the input lasts as long as what it keeps (5 s), not as the file (10 s or 8 s), or the gate failed the job.
     */
    @Test
    void a_longer_track_that_no_output_keeps_does_not_count() throws IOException {
        MediaInfo subtitled = MediaInfo.parse("""
                {"streams": [
                  {"codec_type": "video", "codec_name": "h264", "start_time": "0.000000",
                   "tags": {"DURATION": "00:00:05.000000000"}},
                  {"codec_type": "audio", "codec_name": "aac", "start_time": "-0.023000",
                   "tags": {"DURATION": "00:00:05.023000000"}},
                  {"codec_type": "subtitle", "codec_name": "subrip", "start_time": "-0.023000", "duration": "10.0"}],
                 "format": {"format_name": "matroska,webm", "start_time": "-0.023000", "duration": "10.000000"}}
                """);
        MediaInfo dubbed = MediaInfo.parse("""
                {"streams": [
                  {"codec_type": "video", "codec_name": "h264", "start_time": "0.000000", "duration": "5.000000"},
                  {"codec_type": "audio", "codec_name": "aac", "start_time": "0.000000", "duration": "5.000000"},
                  {"codec_type": "audio", "codec_name": "aac", "start_time": "0.000000", "duration": "8.000000"}],
                 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "start_time": "0.000000", "duration": "8.0"}}
                """);
        MediaInfo untold = MediaInfo.parse("""
                {"streams": [{"codec_type": "video", "codec_name": "h264", "start_time": "0.000000"}],
                 "format": {"format_name": "matroska,webm", "duration": "8.0"}}
                """);

        assertEquals(5.023, subtitled.durationSeconds(), 1e-9);
        assertEquals(5.0, dubbed.durationSeconds(), 1e-9);
        assertEquals(8.0, untold.durationSeconds(), 1e-9, "a stream that does not tell its length: the file's");
    }
}
