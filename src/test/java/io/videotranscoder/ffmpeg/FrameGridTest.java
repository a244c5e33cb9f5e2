package io.videotranscoder.ffmpeg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameGridTest {

    @Test
    void a_boundary_on_a_frame_is_that_frame_and_one_between_frames_the_next() {
        FrameGrid grid = FrameGrid.of(25, 1.4);

        assertEquals(150, grid.frameAt(6.0));
        assertEquals(150, grid.frameAt(0.1 * 60), "6 s however the sum rounds");
        assertEquals(151, grid.frameAt(6.001));
        assertEquals(1.4 + 149.5 / 25, grid.cutBefore(150), 1e-12, "half a frame before, in the input's time");
        assertEquals(49.5 / 25, grid.cutBefore(150, 100), 1e-12, "counted from frame 100");
    }

    @Test
    void a_probed_ntsc_rate_is_its_exact_fraction_so_five_minutes_in_is_the_single_passs_frame() {
        FrameGrid ntsc = FrameGrid.of(29.97, 0);

        assertEquals(30000 / 1001.0, ntsc.rate(), 1e-12);
        assertEquals(8992, ntsc.frameAt(300), "300 s is frame 8991.009: the next; at 29.97 it would be 8991");
        assertEquals(24000 / 1001.0, FrameGrid.of(23.976, 0).rate(), 1e-12);
        assertEquals(25.0, FrameGrid.of(25, 0).rate());
        assertEquals(30.0, FrameGrid.of(30, 0).rate());
        assertEquals(12.5, FrameGrid.of(12.5, 0).rate());
    }
}
