package io.videotranscoder.ffmpeg;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs over a limit are refused naming the setting; formats off the whitelist are named in a person's words. */
class InputPolicyTest {

    private static final InputPolicy POLICY = new InputPolicy(21600, 7680L * 4320, 120);

    private static MediaInfo video(Double duration, int width, int height, Double rate) {
        return new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", duration, "h264", width, height, rate, "aac", 2);
    }

    @Test
    void accepts_an_input_within_every_limit() {
        assertEquals(Optional.empty(), POLICY.violation(video(21600.0, 7680, 4320, 120.0)));
        assertEquals(Optional.empty(), POLICY.violation(new MediaInfo("wav", null, null, null, null, null, "pcm", 2)));
    }

    @Test
    void refuses_a_timestamp_gap_of_ten_hours_by_its_duration() {
        String reason = POLICY.violation(video(36001.0, 320, 240, 2.0)).orElseThrow();
        assertEquals("The input lasts 10:00:01, longer than the limit of 6:00:00 (TRANSCODER_MAX_INPUT_SECONDS).",
                reason);
    }

    @Test
    void refuses_frames_larger_than_the_limit_and_rates_above_it() {
        assertTrue(POLICY.violation(video(1.0, 15360, 8640, 25.0)).orElseThrow()
                .contains("15360x8640, larger than the limit of 33177600 pixels (TRANSCODER_MAX_INPUT_PIXELS)"));
        assertTrue(POLICY.violation(video(1.0, 320, 240, 1000.0)).orElseThrow()
                .contains("1000.0 frames per second, more than the limit of 120 (TRANSCODER_MAX_INPUT_FRAME_RATE)"));
    }

    @Test
    void names_the_refused_format_from_ffmpegs_words() {
        assertEquals(Optional.of("MPEG-DASH manifests are not accepted: upload the media itself (MP4, MOV, MKV,"
                        + " WebM, AVI, MPEG-TS, MPEG-PS, FLV, WMV, MXF, DV, Ogg, Y4M or GIF; MP3, WAV, FLAC or AAC for"
                        + " sound)."),
                InputPolicy.formatRefusal("[dash @ 0x55d0c8a4c240] Format not on whitelist 'mov,matroska'\n"
                                          + "file:/v/x/input.bin: Invalid argument\n"));
        assertTrue(InputPolicy.formatRefusal("[concat @ 0x1] Format not on whitelist 'mov'").orElseThrow()
                .startsWith("FFmpeg concat scripts are not accepted"));
        assertTrue(InputPolicy.formatRefusal("[png_pipe @ 0x1] Format not on whitelist 'mov'").orElseThrow()
                .startsWith("Still images (PNG) are not accepted"));
        assertTrue(InputPolicy.formatRefusal("[vividas @ 0x1] Format not on whitelist 'mov'").orElseThrow()
                .startsWith("Files in FFmpeg's vividas format are not accepted"));
        assertEquals(Optional.empty(), InputPolicy.formatRefusal("[mov,mp4 @ 0x1] moov atom not found"));
    }

    @Test
    void output_frames_are_bounded_by_the_longest_input_at_the_highest_rate() {
        assertEquals(21600L * 120, POLICY.maxOutputFrames());
    }
}
