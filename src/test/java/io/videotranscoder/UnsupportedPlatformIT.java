package io.videotranscoder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar on a machine the bundled FFmpeg cannot run on (an arm64 machine, told so by os.arch). */
class UnsupportedPlatformIT {

    @TempDir
    Path folder;

    @Test
    void stops_at_start_with_one_line_naming_ffmpeg_path() throws Exception {
        ProcessBuilder builder = JarProcess.java(folder, List.of("-Dos.arch=aarch64")).redirectErrorStream(true);
        builder.environment().put("HTTP_PORT", Integer.toString(TestApp.freePort()));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(TestApp.freePort()));
        builder.environment().put("TRANSCODER_CACHE_DIR", folder.resolve("cache").toString());
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "it stops by itself");
        assertEquals(1, process.exitValue(), log);
        List<String> errors = log.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), log);
        assertTrue(errors.get(0).contains("runs on linux-x86_64 only, not on Linux aarch64")
                && errors.get(0).contains("set FFMPEG_PATH"), errors.get(0));
        assertFalse(log.contains("\tat "), "no stack trace for a fact the user can act on:\n" + log);
        try (Stream<Path> cached = Files.list(folder.resolve("cache"))) { // Redis, unpacked first, runs here
            assertEquals(List.of(), cached.filter(p -> p.getFileName().toString().contains("ffmpeg")).toList(),
                    "no FFmpeg unpacked that cannot run");
        }
    }
}
