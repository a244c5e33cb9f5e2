package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.videotranscoder.preset.Preset;
import org.junit.jupiter.api.Test;

/** A picture fits its box keeping its shape, and a box it fills only in part gets that share of the bitrate. */
class PictureFitTest {

    private static final MediaInfo HD = new MediaInfo("mov", 10.0, "h264", 1280, 720, 25.0, "aac", 2);

    @Test
    void scaling_keeps_the_shape_turns_the_box_for_portrait_and_enlarges_only_when_the_preset_says_so() {
        Preset.Video enlarge = new Preset.Video("libx264", "1000k", null, null, 1280, 720, true);
        Preset.Video keep = new Preset.Video("libx264", "1000k", null, null, 1920, 1080, false);
        assertEquals("scale=w='if(gt(ih,iw),720,1280)':h='if(gt(ih,iw),1280,720)'"
                     + ":force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1",
                PictureFit.fit(enlarge));
        assertEquals("scale=w='min(if(gt(ih,iw),1080,1920),iw)':h='min(if(gt(ih,iw),1920,1080),ih)'"
                     + ":force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1",
                PictureFit.fit(keep));
        assertEquals(PictureFit.DEINTERLACE + "," + PictureFit.SQUARE_PIXELS + "," + PictureFit.fit(keep),
                PictureFit.scale(keep), "interlaced frames made whole, pixels that are not square made square, first");
        assertEquals("bwdif=mode=send_frame:parity=auto:deint=interlaced", PictureFit.DEINTERLACE,
                "a frame for each frame, only those flagged interlaced");
        assertEquals("scale=w='if(gt(sar,1),2*trunc(iw*min(sar,4)/2+0.5),iw)'"
                + ":h='if(lt(sar,1),2*trunc(ih/max(sar,0.25)/2+0.5),ih)'", PictureFit.SQUARE_PIXELS);
    }

    @Test
    void the_fitted_size_turns_the_box_for_a_portrait_source() {
        assertArrayEquals(new int[] {1280, 720}, PictureFit.fitted(1920, 1080, 1280, 720));
        assertArrayEquals(new int[] {720, 1280}, PictureFit.fitted(1920, 1080, 720, 1280));
        assertArrayEquals(new int[] {1080, 1920}, PictureFit.fitted(1920, 1080, 2160, 3840));
        assertArrayEquals(new int[] {640, 480}, PictureFit.fitted(1920, 1080, 640, 480));
        assertArrayEquals(new int[] {480, 852}, PictureFit.fitted(854, 480, 720, 1280));
    }

    @Test
    void a_share_of_the_box_gets_its_share_of_the_bitrate_never_below_a_floor() {
        assertEquals("2000k", PictureFit.bitrate("4500k", 1920, 1080, false, HD)); // 4500k x 1280x720 / 1920x1080
        assertEquals("64k", PictureFit.bitrate("4M", 1920, 1080, false,
                new MediaInfo("mov", 1.0, "h264", 32, 18, 25.0, null, null)));
    }

    @Test
    void a_filled_or_enlarging_box_or_an_unknown_source_keeps_the_bitrate() {
        assertEquals("1000k", PictureFit.bitrate("1000k", 1280, 720, true, HD), "an enlarging box is filled");
        assertEquals("3000k", PictureFit.bitrate("3000k", 1280, 720, false, HD));
        assertEquals("3000k", PictureFit.bitrate("3000k", 1920, 1080, false, null));
    }
}
