package io.videotranscoder.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.support.Media;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's programs run through {@link BoundedExec}, here the real ffprobe and FFmpeg on files made for it. */
class BoundedExecTest {

    @TempDir
    Path dir;

    /**
     * A file whose title is 9 MiB: ffprobe describes it in 9 MiB of JSON, all of which camel-exec held; what is kept is
     * the first 8 MiB and the last 64 KiB, which no longer read as a description.
     */
    @Test
    void ffprobes_description_of_a_file_carrying_megabytes_of_metadata_is_cut_and_unreadable() throws Exception {
        Path clip = Media.clip(dir, "clip.mp4", 1, "160x120");
        Path metadata = Files.writeString(dir.resolve("meta.txt"), ";FFMETADATA1\ntitle=" + "a".repeat(9 << 20) + "\n");
        Path tagged = dir.resolve("tagged.mkv");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-i", clip.toString(), "-f", "ffmetadata",
                "-i", metadata.toString(), "-map_metadata", "1", "-c", "copy", tagged.toString());

        ExecResult result = new BoundedExec().execute(command(Media.tools().ffprobe().toString(),
                FfmpegArguments.probe(tagged)));

        byte[] kept = result.getStdout().readAllBytes();
        assertTrue(kept.length <= BoundedExec.STDOUT_HEAD + BoundedExec.TAIL + 64, "kept " + kept.length);
        String json = new String(kept, StandardCharsets.UTF_8);
        assertTrue(json.contains(" bytes left out]"), json.substring(json.length() - 200));
        assertThrows(java.io.IOException.class, () -> MediaInfo.parse(json));
    }

    /**
     * A program's standard error (FFmpeg's, a line for each frame here, 1.5 MiB) is kept from its start and its end,
     * whatever it said in between: how it began, and its last words.
     */
    @Test
    void a_programs_standard_error_keeps_its_first_and_last_lines() throws Exception {
        ExecResult result = new BoundedExec().execute(command(Media.tools().ffmpeg().toString(), List.of(
                "-hide_banner", "-nostats", "-v", "info", "-f", "lavfi", "-i", "sine=duration=200", "-af", "ashowinfo",
                "-f", "null", "-")));

        String stderr = new String(result.getStderr().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(stderr.length() <= BoundedExec.STDERR_HEAD + BoundedExec.TAIL + 64, "kept " + stderr.length());
        assertTrue(stderr.startsWith("Input #0, lavfi"), stderr.substring(0, 200));
        assertTrue(stderr.contains(" bytes left out]"));
        assertTrue(stderr.contains("muxing overhead"), stderr.substring(stderr.length() - 300)); // its summary
    }

    private static ExecCommand command(String program, List<String> args) {
        return new ExecCommand(program, args, null, 60_000L, Set.of(0), null, null, false, LoggingLevel.OFF);
    }
}
