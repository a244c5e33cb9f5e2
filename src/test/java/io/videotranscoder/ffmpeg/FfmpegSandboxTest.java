package io.videotranscoder.ffmpeg;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FfmpegSandboxTest {

    @Test
    void ffmpeg_gets_an_empty_environment_but_a_path_and_the_allocators_settings() {
        assertEquals(List.of("/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin",
                "GLIBC_TUNABLES=" + FfmpegSandbox.ALLOCATOR), FfmpegSandbox.environment(null));
    }

    @Test
    void tunables_the_service_was_given_reach_ffmpeg_untouched() {
        assertEquals("GLIBC_TUNABLES=glibc.malloc.arena_max=2",
                FfmpegSandbox.environment("glibc.malloc.arena_max=2").get(3));
    }
}
