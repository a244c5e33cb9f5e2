package io.videotranscoder.ffmpeg;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.support.Media;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The sound of an output whose gate's probe cannot tell its length: read to its end, through real ffprobe. */
class SoundCheckTest {

    private static Preset ladder;
    private static Preset h264;
    @BeforeAll
    static void presets() throws Exception {
        PresetCatalog presets = PresetCatalog.load(null, Set.of());
        ladder = presets.find("hls-ladder").orElseThrow();
        h264 = presets.find("h264-720p").orElseThrow();
    }

    /**
     * A ladder of a 12 s input whose sound does not decode past 6 s (FLAC, damaged; FFmpeg goes on past it and exits
     * 0): its playlists last as long as its whole picture, and its sound stops halfway. Read to its end, it is refused;
     * the same ladder of the whole input passes.
     */
    @Test
    void a_ladder_whose_sound_stops_halfway_is_refused(@TempDir Path dir) throws Exception {
        Path damaged = Media.flacClip(dir, "damaged.mkv", true);
        Path whole = Media.flacClip(dir, "whole.mkv", false);

        assertEquals(List.of("its sound stops at 6.04 s of its 12.00 s"), ladderProblems(damaged, dir.resolve("a")));
        assertEquals(List.of(), ladderProblems(whole, dir.resolve("b")));
    }

    /**
     * Ladders whose sound is whole pass: a transport stream whose picture begins 0.8 s late (3.8 s in all), a still
     * picture with a 20 s song, held once a second, and a 30.5 s picture whose sound stops 0.6 s before it (within
     * half the tolerance, and its last segment holds no sound: the segments are read from before the least end
     * allowed).
     */
    @Test
    void ladders_whose_sound_is_whole_pass(@TempDir Path dir) throws Exception {
        String ffmpeg = Media.tools().ffmpeg().toString();
        Path late = dir.resolve("late.ts");
        Media.run(ffmpeg, "-v", "error", "-y", "-itsoffset", "0.8", "-f", "lavfi", "-i",
                "testsrc=duration=3:size=320x180:rate=25", "-f", "lavfi", "-i", "sine=duration=3.8", "-c:v", "libx264",
                "-preset", "ultrafast", "-c:a", "aac", "-f", "mpegts", late.toString());
        Path picture = dir.resolve("cover.png");
        Media.run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1",
                picture.toString());
        Path song = dir.resolve("song.mp4");
        Media.run(ffmpeg, "-v", "error", "-y", "-i", picture.toString(), "-f", "lavfi", "-i", "sine=duration=20",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", song.toString());

        Path shorterSound = dir.resolve("shorter-sound.mp4");
        Media.run(ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=30.5:size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=duration=29.9", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                shorterSound.toString());

        assertEquals(List.of(), ladderProblems(late, dir.resolve("late")));
        assertEquals(List.of(), ladderProblems(song, dir.resolve("song")));
        assertEquals(List.of(), ladderProblems(shorterSound, dir.resolve("shorter-sound")));
    }

    /** Read from past where the sound stopped, no packet comes: refused as well. */
    @Test
    void no_sound_past_where_it_is_read_from_is_refused() throws Exception {
        SoundCheck.Read read = new SoundCheck.Read("concat:init_0.mp4|stream_0_001.m4s", 6.023, 0.023, 12.023);
        assertEquals(List.of("its sound stops before 6.00 s of its 12.00 s"), read.problems(""));
        assertEquals(List.of(), read.problems("11.90\n12.00\n"));
        assertEquals(List.of(), read.problems("11.60\n"), "within half a second");
        assertEquals(List.of("its sound stops at 9.00 s of its 12.00 s"), read.problems("8.90\n9.023\nN/A\n"));
    }

    /**
     * Only where the gate's probe cannot tell the sound's length, and the input's sound lasts as long as the input: a
     * camera's microphone that stopped early is not known to reach the end. A ladder's last rendition's segments are
     * read with its init segment, from the one that holds the least end the tolerance allows, less a second; a file
     * whole.
     */
    @Test
    void the_sound_is_read_only_where_the_gates_probe_cannot_tell_and_the_input_says_where_it_ends(@TempDir Path dir)
            throws Exception {
        Path master = Files.writeString(dir.resolve("master.m3u8"), """
                #EXTM3U
                #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.42c01e,mp4a.40.2"
                stream_0.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=416x234,CODECS="avc1.42c00d,mp4a.40.2"
                stream_1.m3u8
                """);
        Files.writeString(dir.resolve("stream_1.m3u8"), """
                #EXTM3U
                #EXT-X-MAP:URI="init_1.mp4"
                #EXTINF:6.000000,
                stream_1_000.m4s
                #EXTINF:6.000000,
                stream_1_001.m4s
                #EXTINF:6.000000,
                stream_1_002.m4s
                #EXTINF:0.500000,
                stream_1_003.m4s
                #EXT-X-ENDLIST
                """);
        MediaInfo input = new MediaInfo("mov", 18.5, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 18.5, 18.5);
        String playlists = """
                {"streams": [], "format": {"start_time": "0.023", "duration": "18.500"}}""";

        SoundCheck.Read read = SoundCheck.needed(ladder, input, master, playlists);
        assertEquals("concat:init_1.mp4|stream_1_002.m4s|stream_1_003.m4s", read.source(),
                "the last rendition's, from 18.5 - 0.925 - 1 s");
        assertEquals(12.023, read.readFrom(), 1e-9);
        assertEquals(18.523, read.end(), 1e-9);
        assertNull(SoundCheck.needed(h264, input, master, playlists), "an MP4's probe tells its sound's length");
        MediaInfo shortSound = new MediaInfo("mov", 18.5, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 18.5, 8.0);
        assertNull(SoundCheck.needed(ladder, shortSound, master, playlists), "a microphone that stopped at 8 s");
        MediaInfo nearEdge = new MediaInfo("mov", 18.5, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 18.5, 18.0);
        assertNull(SoundCheck.needed(ladder, nearEdge, master, playlists),
                "0.5 s short: within the tolerance, past half of it, where the output's starts may differ");
        MediaInfo silent = new MediaInfo("mov", 18.5, "h264", 640, 360, 25.0, null, null, 0.0, 0.0, 18.5, null);
        assertNull(SoundCheck.needed(ladder, silent, master, playlists));
        MediaInfo song = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1, 0.0, 0.0, 0.04, 660.0);
        SoundCheck.Read still = SoundCheck.needed(h264, song, dir.resolve("output.mp4"), """
                {"streams": [], "format": {"start_time": "0", "duration": "660.0"}}""");
        assertEquals("file:" + dir.resolve("output.mp4"), still.source());
        assertEquals(0.0, still.readFrom(), 1e-9, "a still picture with a song, probed alone: its whole sound");
    }

    private static List<String> ladderProblems(Path input, Path work) throws Exception {
        Files.createDirectories(work);
        MediaInfo info = MediaInfo.parse(Media.run(Media.tools().ffprobe().toString(), "-v", "error",
                "-print_format", "json", "-show_format", "-show_streams", input.toString()));
        List<String> encode = new ArrayList<>(List.of(Media.tools().ffmpeg().toString()));
        encode.addAll(FfmpegArguments.transcode(input, work, ladder, info, new InputPolicy(21_600, 35_389_440, 240),
                CodecThreads.FFMPEG_CHOOSES));
        encode.set(encode.indexOf("error"), "quiet");
        Media.run(encode.toArray(String[]::new));
        Path master = work.resolve(ladder.mainOutput());
        String verify = probe(FfmpegArguments.verify(master, ladder, info), work);
        assertEquals(List.of(), OutputCheck.problems(ladder, info, verify, 21_600), "the playlists pass the gate");
        SoundCheck.Read read = SoundCheck.needed(ladder, info, master, verify);
        assertNotNull(read);
        return read.problems(probe(FfmpegArguments.soundEnd(read), work));
    }

    /** ffprobe run in {@code dir}, as the worker runs it in the job's work folder. */
    private static String probe(List<String> args, Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Media.tools().ffprobe().toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
