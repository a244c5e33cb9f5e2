package io.videotranscoder.ffmpeg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FFmpeg's threads per codec, within what its address space holds. */
class CodecThreadsTest {

    @Test
    void ffmpeg_chooses_where_its_choice_fits_the_address_space() {
        assertEquals(0, CodecThreads.within(0, 4096, 8).count(), "8 cores: about 8 threads fit 4096 MiB");
        assertEquals(0, CodecThreads.within(0, 0, 64).count(), "no limit");
    }

    /** A 4K encode at FFmpeg's choice on 64 cores (96 x264 threads) mapped more than 4096 MiB and failed. */
    @Test
    void many_cores_get_as_many_threads_as_the_address_space_holds() {
        assertEquals(8, CodecThreads.within(0, 4096, 64).count());
        assertEquals(2, CodecThreads.within(0, 1024, 16).count());
        assertEquals(1, CodecThreads.within(0, 256, 4).count(), "one at least");
    }

    /** FFmpeg counts the cores the process may run on, which a container's CPU limit does not lower. */
    @Test
    void the_cores_ffmpeg_sees_are_those_the_process_may_run_on() throws Exception {
        assertEquals(7, CodecThreads.cores("0-3,8,10-11"));
        assertEquals(1, CodecThreads.cores("0"));
        String nproc = new String(new ProcessBuilder("nproc").start().getInputStream().readAllBytes()).strip();
        assertEquals(Integer.parseInt(nproc), CodecThreads.coresFfmpegSees(), "as nproc counts them");
    }

    @Test
    void the_operators_choice_stays() {
        assertEquals(16, CodecThreads.within(16, 4096, 64).count());
        assertEquals(1, CodecThreads.within(1, 4096, 64).count());
    }
}
