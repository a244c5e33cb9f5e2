package io.videotranscoder.preset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every preset end to end on generated clips, each output checked with ffprobe; HLS over HTTP; progress. */
class PresetsIT {

    @TempDir
    static Path root;
    static Path clips;
    static Path hd;
    static TestApp app;
    static Http http;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        clips = Files.createDirectories(root.resolve("clips"));
        hd = Media.clip(clips, "hd.mp4", 1, "1280x720");
        Path operator = Files.createDirectories(root.resolve("presets"));
        Files.writeString(operator.resolve("extra.yaml"), """
                presets:
                  - name: aac-fdk
                    description: AAC from the Fraunhofer encoder
                    container: m4a
                    audio: { codec: libfdk_aac, bitrate: 128k }
                  - name: h264-480p
                    description: Replaced by the operator
                    container: mp4
                    video: { codec: libx264, bitrate: 900k, width: 640, height: 360 }
                    audio: { codec: aac, bitrate: 96k }
                """);
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.concurrency", "2",
                "transcoder.presets-dir", operator.toString()));
        http = app.http();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The jobs of {@link #hd} by preset: a test that only reads one shares it with the test of that preset. */
    static final Map<String, JsonNode> HD_JOBS = new ConcurrentHashMap<>();

    static JsonNode hdJob(String preset) throws Exception {
        JsonNode job = HD_JOBS.get(preset);
        if (job == null) {
            job = run(hd, preset);
            HD_JOBS.put(preset, job);
        }
        return job;
    }

    static JsonNode run(Path file, String preset) throws Exception {
        Http.Answer answer = http.upload("/jobs", file, file.getFileName().toString(), Map.of("preset", preset));
        assertEquals(202, answer.status(), answer.body());
        return ended(answer.json().path("id").asText());
    }

    private static JsonNode ended(String id) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                        job -> List.of("succeeded", "failed").contains(job.path("status").asText()));
    }

    /** How long the job's first output lasts, as ffprobe reads it. */
    private static double outputSeconds(JsonNode job) throws Exception {
        return Double.parseDouble(probe("format=duration", app.dataDir().resolve(job.path("id").asText())
                .resolve(job.path("outputs").get(0).path("name").asText()).toString()));
    }

    static String probe(String what, String path) throws Exception {
        return Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-show_entries", what, "-of", "csv=p=0",
                path).strip();
    }

    @ParameterizedTest
    @CsvSource({
        "h264-720p,  output.mp4,  video/mp4,  'h264,1280,720'",
        "h264-1080p, output.mp4,  video/mp4,  'h264,1280,720'",
        "h264-480p,  output.mp4,  video/mp4,  'h264,640,360'",
        "hevc-1080p, output.mp4,  video/mp4,  'hevc,1280,720'",
        "vp9-720p,   output.webm, video/webm, 'vp9,1280,720'",
        "av1-720p,   output.mp4,  video/mp4,  'av1,1280,720'",
        "thumbnail,  poster.jpg,  image/jpeg, 'mjpeg,1280,720'"})
    void each_video_preset_produces_its_codec_and_size(String preset, String main, String type, String stream)
            throws Exception {
        JsonNode job = hdJob(preset);

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        JsonNode output = job.path("outputs").get(0);
        assertEquals(main, output.path("name").asText());
        assertEquals(type, output.path("contentType").asText());
        Path file = http.download(output.path("url").asText(), clips.resolve(job.path("id").asText() + "-" + main));
        assertEquals(stream, Media.videoStream(file));
        if (!"thumbnail".equals(preset)) {
            assertEquals(1.0, Double.parseDouble(probe("format=duration", file.toString())), 0.3);
        }
    }

    @Test
    void audio_aac_keeps_only_the_sound() throws Exception {
        JsonNode job = run(hd, "audio-aac");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path file = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("sound.m4a"));
        assertEquals("aac", probe("stream=codec_name", file.toString()));
        assertEquals("audio/mp4", job.path("outputs").get(0).path("contentType").asText());
    }

    /**
     * Raw AAC and a variable-bitrate MP3 without a header that states its length: FFmpeg guesses it from the first
     * packets' bitrate (about 85 s and 12 s for these 6 s, whose first 2 s are quiet), and the verification failed them
     * as too short. Their length is measured: they succeed, and say how long they last.
     */
    @Test
    void audio_whose_length_ffmpeg_guesses_is_measured() throws Exception {
        Map<String, List<String>> encodings = Map.of("adts", List.of("-c:a", "aac"),
                "mp3", List.of("-c:a", "libmp3lame", "-q:a", "4", "-write_xing", "0"));
        for (String format : List.of("adts", "mp3")) {
            Path sound = clips.resolve("quiet-start." + format);
            List<String> command = new ArrayList<>(List.of(Media.tools().ffmpeg().toString(), "-v", "error", "-y",
                    "-f", "lavfi", "-i", "anoisesrc=d=6:a=0.5,volume=volume=0:enable='lt(t,2)'"));
            command.addAll(encodings.get(format));
            command.addAll(List.of("-f", format, sound.toString()));
            Media.run(command.toArray(String[]::new));
            assertTrue(Double.parseDouble(probe("format=duration", sound.toString())) > 10, "FFmpeg's guess, wrong");

            JsonNode job = run(sound, "audio-aac");

            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertEquals(6.0, job.path("input").path("duration").asDouble(), 0.05, job.toString());
        }
    }

    /**
     * A Matroska file written as a stream, as a browser records one, states no length (ffprobe finds none): it is
     * measured before its encode, so that the job says how long it lasts and the verification checks the output's
     * length against it, not only against the longest input this server encodes. Sent as a blob, without a name that
     * says what it is, as a job whose encode would start beside its probe (not split): told by its first bytes.
     */
    @Test
    void a_matroska_file_that_states_no_length_is_measured() throws Exception {
        Path streamed = Media.streamedMatroska(Media.clip(clips, "streamed.mp4", 3, "320x240"),
                clips.resolve("streamed.mkv"));
        assertEquals("N/A", probe("format=duration", streamed.toString()), "written as a stream: no length");

        Http.Answer answer = http.upload("/jobs", streamed, "blob", Map.of("preset", "h264-720p", "split", "false"));
        assertEquals(202, answer.status(), answer.body());
        JsonNode job = ended(answer.json().path("id").asText());

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(3.0, job.path("input").path("duration").asDouble(), 0.1, job.toString());
    }

    /**
     * A 4 s video whose sound stops after 2 s (a microphone stopped before the camera): its sound alone lasts 2 s, and
     * succeeds (it failed as shorter than the input's 4 s).
     */
    @Test
    void the_sound_of_a_video_whose_sound_stops_first_lasts_as_long_as_that_sound() throws Exception {
        Path video = clips.resolve("quiet-end.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=4:size=160x120:rate=25", "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264",
                "-preset", "ultrafast", "-c:a", "aac", video.toString());

        JsonNode job = run(video, "audio-aac");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(2.0, outputSeconds(job), 0.1);
    }

    /**
     * A 4 s Matroska video whose sound begins 1 s in and stops 2 s later: its sound alone lasts 2 s (it failed against
     * 3 s, the end FFmpeg's muxer tags the sound with).
     */
    @Test
    void the_sound_of_a_matroska_video_whose_sound_begins_late_and_stops_first_lasts_as_long_as_it() throws Exception {
        Path video = clips.resolve("late-quiet-end.mkv");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=4:size=160x120:rate=25", "-itsoffset", "1", "-f", "lavfi", "-i", "sine=duration=2",
                "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                video.toString());

        JsonNode job = run(video, "audio-aac");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(2.0, outputSeconds(job), 0.1);
    }

    @Test
    void the_hls_ladder_plays_from_its_master_playlist_over_http() throws Exception {
        JsonNode job = run(hd, "hls-ladder");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        String master = "http://127.0.0.1" + http.base().substring(http.base().lastIndexOf(':'))
                        + "/jobs/" + job.path("id").asText() + "/outputs/master.m3u8";
        Http.Answer playlist = http.get("/jobs/" + job.path("id").asText() + "/outputs/master.m3u8");
        assertEquals("application/vnd.apple.mpegurl", playlist.header("Content-Type"));
        assertTrue(playlist.body().contains("stream_0.m3u8") && !playlist.body().contains("/"),
                "relative URIs: " + playlist.body());
        // ffprobe follows the master playlist to every rendition (720p down to 234p: none taller than the source).
        // (each appears twice: in its program and among all streams).
        List<String> sizes = List.of(probe("stream=width,height", master).split("\n")).stream()
                .filter(line -> !line.isBlank()).distinct().toList();
        assertEquals(List.of("1280,720", "960,540", "768,432", "640,360", "416,234"), sizes);
        long segments = 0;
        for (JsonNode output : job.path("outputs")) {
            if (output.path("name").asText().endsWith(".m4s")) {
                segments++;
                assertEquals("video/iso.segment", output.path("contentType").asText());
            }
        }
        assertTrue(segments >= 5, "fMP4 segments for each rendition");
        assertTrue(http.get("/jobs/" + job.path("id").asText() + "/outputs/init_4.mp4").status() == 200,
                "each rendition's initialisation file");
    }

    @Test
    void scaling_keeps_the_shape_and_does_not_enlarge_unless_the_preset_says_so() throws Exception {
        Path square = Media.clip(clips, "four-three.mp4", 1, "640x480");

        JsonNode kept = run(square, "h264-1080p");
        JsonNode enlarged = run(square, "h264-720p");

        assertEquals("h264,640,480", Media.videoStream(http.download(
                kept.path("outputs").get(0).path("url").asText(), clips.resolve("kept.mp4"))));
        assertEquals("h264,960,720", Media.videoStream(http.download(
                enlarged.path("outputs").get(0).path("url").asText(), clips.resolve("enlarged.mp4"))));
    }

    /**
     * A picture that ends 2 s before its sound (a recording whose camera stopped first): every second of the sound is
     * kept. The output's frame limit (-frames:v) ended its sound with its picture, and the job failed as too short.
     */
    @Test
    void a_sound_that_outlasts_the_picture_is_kept_whole() throws Exception {
        Path clip = clips.resolve("sound-longer.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=2:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=duration=4", "-c:v", "libx264",
                "-preset", "ultrafast", "-c:a", "aac", clip.toString());

        JsonNode job = run(clip, "h264-720p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path output = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("whole.mp4"));
        assertEquals(4.0, MediaChecks.duration(output, "a:0"), 0.05, "the sound, whole");
        assertEquals(2.0, MediaChecks.duration(output, "v:0"), 0.05);
    }

    /**
     * A still picture with a song (one frame, 20 s of sound), as music and podcasts are uploaded: the picture's one
     * frame is verified to decode although the encoder gives it last, and all of the song is kept. Its poster is that
     * frame (taken at a tenth of the song, after it, FFmpeg wrote none), and its HLS ladder plays as long as the song.
     */
    @Test
    void a_still_picture_with_a_song_is_kept_whole_and_verified() throws Exception {
        Path picture = clips.resolve("cover.png");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=320x240", "-frames:v", "1", picture.toString());
        Path clip = clips.resolve("song.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-i", picture.toString(), "-f", "lavfi",
                "-i", "sine=duration=20", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", clip.toString());

        JsonNode job = run(clip, "h264-720p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path output = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("song-out.mp4"));
        assertEquals(20.0, MediaChecks.duration(output, "a:0"), 0.1, "the song, whole");
        assertEquals(1, MediaChecks.frames(output));
        JsonNode poster = run(clip, "thumbnail");
        assertEquals("succeeded", poster.path("status").asText(), poster.toString());
        // A ladder holds the picture through the song: its playlist lasted 0.04 s, the whole song in one segment.
        JsonNode ladder = run(clip, "hls-ladder");
        assertEquals("succeeded", ladder.path("status").asText(), ladder.toString());
        assertTrue(ladder.path("outputs").findValuesAsText("name").containsAll(List.of("stream_0_000.m4s",
                "stream_0_001.m4s", "stream_0_002.m4s")), ladder.toString());
    }

    /**
     * A picture stored with pixels that are not square (as DV, DVD and broadcast SD are): 360x270 shown at 16:9 fits
     * the box at 16:9, not squeezed to the 4:3 of its stored size.
     */
    @Test
    void a_picture_of_pixels_that_are_not_square_keeps_the_shape_it_is_shown_at() throws Exception {
        Path clip = clips.resolve("anamorphic.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=1:size=360x270:rate=25,setsar=4/3", "-c:v", "libx264", "-preset", "ultrafast",
                clip.toString());

        JsonNode job = run(clip, "h264-720p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(480, job.path("input").path("width").asInt(), "as shown");
        Path output = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("wide.mp4"));
        assertEquals("h264,1280,720", Media.videoStream(output));
    }

    /** AC-3's 5.1 has side channels, which Opus does not order so: libopus refused it, and the job failed. */
    @Test
    void ac3_surround_sound_becomes_opus_surround() throws Exception {
        Path clip = clips.resolve("surround.mkv");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=1:size=160x120:rate=25", "-f", "lavfi", "-i",
                "sine=duration=1,aformat=channel_layouts=5.1(side)", "-c:v", "libx264", "-preset", "ultrafast",
                "-c:a", "ac3", clip.toString());

        JsonNode job = run(clip, "vp9-720p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path output = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("surround.webm"));
        assertEquals("opus,6", Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-select_streams", "a:0",
                "-show_entries", "stream=codec_name,channels", "-of", "csv=p=0", output.toString()).strip());
    }

    /**
     * A transport stream whose picture begins 0.8 s after its sound, as recordings of broadcasts do: its ladder's
     * playlists last as long as the picture, and verification took that for an output 0.8 s short.
     */
    @Test
    void a_ladder_of_a_transport_stream_whose_picture_begins_late_succeeds() throws Exception {
        Path clip = clips.resolve("late.ts");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-itsoffset", "0.8", "-f", "lavfi", "-i",
                "testsrc=duration=3:size=320x180:rate=25", "-f", "lavfi", "-i", "sine=duration=3.8", "-c:v", "libx264",
                "-preset", "ultrafast", "-c:a", "aac", "-f", "mpegts", clip.toString());

        JsonNode job = run(clip, "hls-ladder");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
    }

    /** A second sound track longer than the first (a dub, a commentary): the output keeps the first, and succeeds. */
    @Test
    void a_longer_second_sound_track_does_not_fail_the_job() throws Exception {
        Path clip = clips.resolve("dubbed.mov");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=2:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=duration=2", "-f", "lavfi",
                "-i", "sine=duration=4", "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset",
                "ultrafast", "-c:a", "aac", clip.toString());

        JsonNode job = run(clip, "h264-720p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(2.0, job.path("input").path("duration").asDouble(), 0.05, "as long as what is kept");
    }

    /**
     * An interlaced recording (a camcorder's, a broadcast's: two fields of different instants in each frame) at its own
     * size: its frames are made whole. Copied as they were, each of them showed the fields' combing.
     */
    @Test
    void an_interlaced_recording_is_deinterlaced() throws Exception {
        Path clip = clips.resolve("interlaced.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=duration=1:size=720x576:rate=50,tinterlace=mode=interleave_top,setfield=tff", "-c:v",
                "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme", "-x264opts", "tff=1", clip.toString());

        JsonNode job = run(clip, "h264-1080p");

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path output = http.download(job.path("outputs").get(0).path("url").asText(), clips.resolve("whole.mp4"));
        String detection = Media.run(Media.tools().ffmpeg().toString(), "-hide_banner", "-nostats", "-i",
                output.toString(), "-vf", "idet", "-f", "null", "-").lines()
                .filter(line -> line.contains("Single frame detection")).reduce((first, last) -> last).orElseThrow();
        int progressive = Integer.parseInt(detection.replaceAll(".*Progressive: *([0-9]+).*", "$1"));
        assertTrue(progressive >= 20, "of 25 frames, whole ones: " + detection);
    }

    @Test
    void a_portrait_clip_fits_the_box_turned_whether_stored_portrait_or_rotated() throws Exception {
        Path portrait = Media.clip(clips, "portrait.mp4", 1, "720x1280");
        // A phone's way: stored landscape, shown turned a quarter by its display matrix.
        Path rotated = clips.resolve("rotated.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-display_rotation:v:0", "90",
                "-i", Media.clip(clips, "stored-landscape.mp4", 1, "1280x720").toString(), "-c", "copy",
                rotated.toString());

        for (Path clip : List.of(portrait, rotated)) {
            JsonNode job = run(clip, "h264-720p");
            assertEquals("succeeded", job.path("status").asText(), job.toString());
            assertEquals(List.of(720, 1280), List.of(job.path("input").path("width").asInt(),
                    job.path("input").path("height").asInt()), "the input as shown");
            Path output = http.download(job.path("outputs").get(0).path("url").asText(),
                    clips.resolve("out-" + clip.getFileName()));
            assertEquals("h264,720,1280", Media.videoStream(output), clip.getFileName().toString());
        }
    }

    @Test
    void the_probe_facts_are_on_the_job() throws Exception {
        JsonNode input = hdJob("h264-720p").path("input");

        assertEquals(1.0, input.path("duration").asDouble(), 0.1);
        assertEquals("h264", input.path("videoCodec").asText());
        assertEquals(1280, input.path("width").asInt());
        assertEquals(720, input.path("height").asInt());
        assertEquals(25.0, input.path("frameRate").asDouble(), 0.01);
        assertEquals("aac", input.path("audioCodec").asText());
        assertEquals(1, input.path("audioChannels").asInt());
        assertTrue(input.path("format").asText().contains("mp4"));
    }

    @Test
    void an_audio_only_file_given_a_video_preset_fails_with_the_reason() throws Exception {
        JsonNode job = run(Media.audioOnly(clips, "tone.m4a"), "h264-720p");

        assertEquals("failed", job.path("status").asText());
        assertTrue(job.path("error").asText().contains("no video stream"), job.toString());
        assertTrue(job.path("error").asText().contains("audio-aac"), "says what would work");
    }

    @Test
    void a_preset_this_ffmpeg_cannot_run_is_listed_unavailable_and_refused_with_422() throws Exception {
        JsonNode presets = http.get("/presets").json().path("presets");
        JsonNode fdk = null;
        List<String> names = new ArrayList<>();
        for (JsonNode p : presets) {
            names.add(p.path("name").asText());
            if (p.path("name").asText().equals("aac-fdk")) {
                fdk = p;
            }
            if (p.path("name").asText().equals("h264-480p")) {
                assertEquals("Replaced by the operator", p.path("description").asText());
            }
        }
        assertTrue(names.containsAll(List.of("h264-720p", "h264-1080p", "h264-480p", "hevc-1080p", "vp9-720p",
                "av1-720p", "audio-aac", "hls-ladder", "thumbnail")), names.toString());
        assertFalse(fdk.path("available").asBoolean());
        assertTrue(fdk.path("unavailableReason").asText().contains("libfdk_aac"));

        Http.Answer refused = http.upload("/jobs", hd, "hd.mp4", Map.of("preset", "aac-fdk"));
        assertEquals(422, refused.status(), refused.body());
        assertEquals("preset", refused.json().path("field").asText());
        assertEquals(400, http.upload("/jobs", hd, "hd.mp4", Map.of("preset", "nope")).status());
    }

    @Test
    void progress_moves_between_0_and_100_while_a_longer_clip_runs() throws Exception {
        // Long enough to be seen midway (seconds of x264 at its own speed here), short enough to wait for. At one
        // thread per codec (the tests' setting) x264 holds its lookahead's frames before the first comes out, so the
        // progress shows between 0 and 100 for only the last part of the encode: 4 s was once missed under load.
        Path longer = Media.clip(clips, "longer.mp4", 6, "1280x720");
        Http.Answer answer = http.upload("/jobs", longer, "longer.mp4", Map.of("preset", "h264-1080p"));
        String id = answer.json().path("id").asText();
        List<Integer> seen = new ArrayList<>();
        JsonNode midway = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode job = http.get("/jobs/" + id).json();
                    seen.add(job.path("progress").asInt());
                    return job;
                }, job -> job.path("status").asText().equals("running") && job.path("progress").asInt() > 0
                          && job.path("progress").asInt() < 100);

        assertTrue(midway.has("speed") && midway.path("speed").asDouble() > 0, midway.toString());
        assertTrue(midway.has("eta"), midway.toString());
        // The probe ran beside the encode: what it found is on the job while the encode runs.
        assertEquals(6.0, midway.path("input").path("duration").asDouble(), 0.5, midway.toString());
        JsonNode done = http.get("/jobs/" + id + "?wait=60").json();
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(100, done.path("progress").asInt());
        assertFalse(done.has("eta"), "no ETA once done");
    }
}
