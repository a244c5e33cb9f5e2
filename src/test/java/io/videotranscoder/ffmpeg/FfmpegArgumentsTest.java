package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** FFmpeg gets one argument per list element, inputs and outputs as explicit file: URLs. */
class FfmpegArgumentsTest {

    private static final Path INPUT = Path.of("/data/videos/my clip -y.mp4");
    private static final Path OUTPUT = Path.of("/data/videos/job/.work/output.mp4");

    private static void assertAdjacent(List<String> args, String first, String second) {
        assertTrue(Collections.indexOfSubList(args, List.of(first, second)) >= 0,
                () -> first + " " + second + " not adjacent in " + args);
    }

    @Test
    void transcode_passes_the_default_options_as_pairs() {
        List<String> args = FfmpegArguments.transcode(INPUT, OUTPUT, TranscodeOptions.DEFAULT);
        assertAdjacent(args, "-c:v", "libx264");
        assertAdjacent(args, "-b:v", "1000k");
        assertAdjacent(args, "-vf", "scale=1280:720");
        assertAdjacent(args, "-c:a", "aac");
        assertAdjacent(args, "-f", "mp4");
        assertTrue(args.contains("-nostdin"));
    }

    @Test
    void transcode_names_input_and_output_as_single_file_urls() {
        List<String> args = FfmpegArguments.transcode(INPUT, OUTPUT, TranscodeOptions.DEFAULT);
        assertAdjacent(args, "-i", "file:/data/videos/my clip -y.mp4");
        assertEquals("file:" + OUTPUT, args.get(args.size() - 1));
    }

    @Test
    void transcode_to_vp9_uses_webm_and_opus() {
        TranscodeOptions vp9 = new TranscodeOptions("libvpx-vp9", "800k", 640, 360);
        List<String> args = FfmpegArguments.transcode(INPUT, OUTPUT, vp9);
        assertAdjacent(args, "-c:v", "libvpx-vp9");
        assertAdjacent(args, "-c:a", "libopus");
        assertAdjacent(args, "-f", "webm");
        assertAdjacent(args, "-vf", "scale=640:360");
    }

    @Test
    void probe_asks_for_json_about_one_file() {
        List<String> args = FfmpegArguments.probe(INPUT);
        assertAdjacent(args, "-print_format", "json");
        assertTrue(args.containsAll(List.of("-show_format", "-show_streams")));
        assertEquals("file:/data/videos/my clip -y.mp4", args.get(args.size() - 1));
    }
}
