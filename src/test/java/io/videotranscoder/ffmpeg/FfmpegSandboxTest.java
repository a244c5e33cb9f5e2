package io.videotranscoder.ffmpeg;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FfmpegSandboxTest {

    @Test
    void the_allocator_is_set_for_ffmpeg_through_env() {
        assertEquals(List.of("/usr/bin/env", "GLIBC_TUNABLES=" + FfmpegSandbox.ALLOCATOR),
                FfmpegSandbox.allocator(null));
    }

    @Test
    void tunables_the_service_was_given_reach_ffmpeg_untouched() {
        assertEquals(List.of(), FfmpegSandbox.allocator("glibc.malloc.arena_max=2"));
    }
}
