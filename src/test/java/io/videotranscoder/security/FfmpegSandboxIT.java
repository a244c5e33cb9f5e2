package io.videotranscoder.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.support.Listener;
import io.videotranscoder.support.Media;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FFmpeg as the worker starts it: no network at all, a bounded address space, its allocator set. Real FFmpeg, real
 * sockets.
 */
class FfmpegSandboxIT {

    @TempDir
    Path dir;

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished");
        return process.exitValue();
    }

    private static List<String> command(FfmpegSandbox sandbox, Path program, String... args) {
        List<String> command = new ArrayList<>(List.of(sandbox.executable(program)));
        command.addAll(sandbox.arguments(program, List.of(args)));
        return command;
    }

    @Test
    void ffmpeg_reaches_no_address_even_on_this_machine() throws Exception {
        Path ffmpeg = Media.tools().ffmpeg();
        FfmpegSandbox sandbox = FfmpegSandbox.detect(ffmpeg, FfmpegSandbox.Isolation.REQUIRED, 0);
        assertTrue(sandbox.networkIsolated());
        try (Listener listener = new Listener()) {
            String url = listener.url("/leak.mp4");

            int isolated = run(command(sandbox, ffmpeg, "-v", "error", "-rw_timeout", "3000000", "-i", url, "-f", "null",
                    "-"));
            assertNotEquals(0, isolated);
            assertEquals(0, listener.connections(), "no connection from inside the sandbox");

            // The same call outside it does connect: the listener is reachable, the sandbox is what stops FFmpeg.
            run(List.of(ffmpeg.toString(), "-v", "error", "-rw_timeout", "2000000", "-i", url, "-f", "null", "-"));
            assertTrue(listener.connections() > 0, "the control run reached the listener");
        }
    }

    /** Nothing of the service's environment (its secrets among it) reaches FFmpeg: a path, the allocator's settings. */
    @Test
    void the_program_gets_the_allocator_settings_and_nothing_of_the_services_environment() throws Exception {
        Assumptions.assumeTrue(System.getenv("GLIBC_TUNABLES") == null, "this JVM was given GLIBC_TUNABLES");
        Path env = Path.of("/usr/bin/env");
        FfmpegSandbox sandbox = FfmpegSandbox.detect(Media.tools().ffmpeg(), FfmpegSandbox.Isolation.AUTO, 0);
        Process process = new ProcessBuilder(command(sandbox, env)).redirectErrorStream(true).start();
        String environment = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished");
        assertTrue(environment.lines().anyMatch(l -> l.startsWith("GLIBC_TUNABLES=glibc.malloc.hugetlb=1:")),
                environment);
        assertTrue(System.getenv().containsKey("HOME"), "this JVM's own environment has HOME");
        assertEquals(List.of("GLIBC_TUNABLES", "PATH"), environment.lines().map(l -> l.substring(0, l.indexOf('=')))
                .sorted().toList(), environment);
    }

    /** What FFmpeg runs cannot gain privileges: no set-user-ID program gains its owner's. */
    @Test
    void the_program_can_gain_no_privileges() throws Exception {
        FfmpegSandbox sandbox = FfmpegSandbox.detect(Media.tools().ffmpeg(), FfmpegSandbox.Isolation.AUTO, 0);
        Process process = new ProcessBuilder(command(sandbox, Path.of("/usr/bin/grep"), "NoNewPrivs",
                "/proc/self/status")).redirectErrorStream(true).start();
        String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished");
        assertEquals("NoNewPrivs:\t1", status.strip(), status);
    }

    @Test
    void an_encode_beyond_the_memory_limit_fails_instead_of_taking_the_machine() throws Exception {
        Path ffmpeg = Media.tools().ffmpeg();
        Path clip = Media.clip(dir, "hd.mp4", 1, "1920x1080");
        String[] encode = {"-v", "error", "-y", "-i", clip.toString(), "-c:v", "libx264", "-f", "mp4",
                dir.resolve("out.mp4").toString()};

        FfmpegSandbox tight = FfmpegSandbox.detect(ffmpeg, FfmpegSandbox.Isolation.AUTO, 300L << 20);
        assertNotEquals(0, run(command(tight, ffmpeg, encode)), "300 MiB of address space is too little");

        FfmpegSandbox ample = FfmpegSandbox.detect(ffmpeg, FfmpegSandbox.Isolation.AUTO, 4096L << 20);
        assertEquals(0, run(command(ample, ffmpeg, encode)));
    }
}
