package io.videotranscoder.ffmpeg;

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
    private static final String PLAYLISTS = """
            {"streams": [], "format": {"start_time": "0.023", "duration": "12.000"}}""";

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

    /** Read from past where the sound stopped, no packet comes: refused as well. */
    @Test
    void no_sound_past_where_it_is_read_from_is_refused() throws Exception {
        SoundCheck.Read read = new SoundCheck.Read(2.023, 0.023, 12.023);
        assertEquals(List.of("its sound stops before 2.00 s of its 12.00 s"), read.problems("{\"packets\": []}"));
        assertEquals(List.of(), read.problems("""
                {"packets": [{"pts_time": "11.90"}, {"pts_time": "12.00"}]}"""));
        assertEquals(List.of(), read.problems("{\"packets\": [{\"pts_time\": \"11.60\"}]}"), "within half a second");
    }

    /**
     * Only where the gate's probe cannot tell the sound's length, and the input's sound lasts as long as the input: a
     * camera's microphone that stopped early is not known to reach the end.
     */
    @Test
    void the_sound_is_read_only_where_the_gates_probe_cannot_tell_and_the_input_says_where_it_ends() throws Exception {
        MediaInfo input = new MediaInfo("mov", 12.0, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 12.0, 12.0);
        SoundCheck.Read read = SoundCheck.needed(ladder, input, PLAYLISTS);
        assertNotNull(read);
        assertEquals(2.023, read.from(), 1e-9, "the last ten seconds");
        assertEquals(12.023, read.end(), 1e-9);
        assertNull(SoundCheck.needed(h264, input, PLAYLISTS), "an MP4's probe tells its sound's length");
        MediaInfo shortSound = new MediaInfo("mov", 12.0, "h264", 640, 360, 25.0, "aac", 2, 0.0, 0.0, 12.0, 8.0);
        assertNull(SoundCheck.needed(ladder, shortSound, PLAYLISTS), "a microphone that stopped at 8 s");
        MediaInfo silent = new MediaInfo("mov", 12.0, "h264", 640, 360, 25.0, null, null, 0.0, 0.0, 12.0, null);
        assertNull(SoundCheck.needed(ladder, silent, PLAYLISTS));
        MediaInfo song = new MediaInfo("mov", 660.0, "h264", 64, 64, 25.0, "aac", 1, 0.0, 0.0, 0.04, 660.0);
        assertEquals(650.0, SoundCheck.needed(h264, song, """
                {"streams": [], "format": {"start_time": "0", "duration": "660.0"}}""").from(), 1e-9,
                "a still picture with a song, probed alone: its sound's last ten seconds");
    }

    private static List<String> ladderProblems(Path input, Path work) throws Exception {
        Files.createDirectories(work);
        MediaInfo info = MediaInfo.parse(Media.run(Media.tools().ffprobe().toString(), "-v", "error",
                "-print_format", "json", "-show_format", "-show_streams", input.toString()));
        List<String> encode = new ArrayList<>(List.of(Media.tools().ffmpeg().toString(), "-v", "quiet", "-i",
                input.toString()));
        encode.addAll(HlsLadder.arguments(work, ladder, info, ""));
        Media.run(encode.toArray(String[]::new));
        Path master = work.resolve(ladder.mainOutput());
        String verify = probe(FfmpegArguments.verify(master, ladder, info));
        assertEquals(List.of(), OutputCheck.problems(ladder, info, verify, 21_600), "the playlists pass the gate");
        SoundCheck.Read read = SoundCheck.needed(ladder, info, verify);
        assertNotNull(read);
        return read.problems(probe(FfmpegArguments.soundEnd(master, read.from())));
    }

    private static String probe(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Media.tools().ffprobe().toString()));
        command.addAll(args);
        return Media.run(command.toArray(String[]::new));
    }
}
