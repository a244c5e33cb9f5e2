package io.videotranscoder.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Client-supplied codec, bitrate and resolution pass only the whitelist and ranges. */
class TranscodeOptionsTest {

    private static final Set<String> AVAILABLE = Set.of("libx264", "libvpx-vp9", "aac", "libopus", "copy");

    private static Refusal rejected(String codec, String bitrate, String resolution) {
        return assertThrows(Refusal.class,
                () -> TranscodeOptions.parse(codec, bitrate, resolution, AVAILABLE));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"NULL, NULL, NULL", "'', ' ', '  '"})
    void null_or_blank_fields_take_the_defaults(String codec, String bitrate, String resolution) {
        assertEquals(TranscodeOptions.DEFAULT, TranscodeOptions.parse(codec, bitrate, resolution, AVAILABLE));
    }

    @ParameterizedTest
    @CsvSource({"h264, libx264", "H264, libx264", "' vp9 ', libvpx-vp9", "libx264, libx264", "LIBVPX-VP9, libvpx-vp9"})
    void resolves_aliases_to_encoder_names(String given, String encoder) {
        assertEquals(encoder, TranscodeOptions.parse(given, null, null, AVAILABLE).codec());
    }

    @ParameterizedTest
    @ValueSource(strings = {"libx265", "hevc", "av1", "mpeg4"})
    void rejects_a_codec_this_ffmpeg_lacks(String codec) {
        Refusal e = rejected(codec, null, null);
        assertEquals(Refusal.Kind.INVALID_FIELD, e.kind());
        assertEquals("codec", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"libx264 -f null", "copy", "-i x", "-i /etc/passwd", "libx264;rm", "h264;rm", "aac",
            "libx264\n-y"})
    void rejects_smuggled_or_non_video_codecs(String codec) {
        Refusal e = rejected(codec, null, null);
        assertEquals(Refusal.Kind.INVALID_FIELD, e.kind());
        assertEquals("codec", e.field());
    }

    @ParameterizedTest
    @CsvSource({"800k, 800k", "800K, 800k", "4M, 4000k", "2500000, 2500k", "64k, 64k", "100M, 100000k",
            "64500, 64500", "' 1000k ', 1000k"})
    void normalizes_bitrates(String given, String expected) {
        assertEquals(expected, TranscodeOptions.parse(null, given, null, AVAILABLE).bitrate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"63k", "63999", "12", "101M", "99999M", "100000001", "1000k;rm", "1000k -f null",
            "1000k -vf x", "-1k", "1.5M", "k", "999999999"})
    void rejects_bitrates_out_of_range_or_malformed(String bitrate) {
        Refusal e = rejected(null, bitrate, null);
        assertEquals(Refusal.Kind.INVALID_FIELD, e.kind());
        assertEquals("bitrate", e.field());
    }

    @Test
    void accepts_an_even_resolution_in_range() {
        TranscodeOptions options = TranscodeOptions.parse(null, null, "1280x720", AVAILABLE);
        assertEquals(1280, options.width());
        assertEquals(720, options.height());
        assertEquals("1280x720", options.resolution());
        assertEquals(TranscodeOptions.parse(null, null, "16x16", AVAILABLE).resolution(), "16x16");
        assertEquals(TranscodeOptions.parse(null, null, "7680x4320", AVAILABLE).resolution(), "7680x4320");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1281x720", "1280x721", "99999x99999", "8x8", "1280x720 -vf x", "0x0", "7682x4320",
            "1280*720", "x720", "-1280x720"})
    void rejects_bad_resolutions(String resolution) {
        Refusal e = rejected(null, null, resolution);
        assertEquals(Refusal.Kind.INVALID_FIELD, e.kind());
        assertEquals("resolution", e.field());
    }

    @ParameterizedTest
    @CsvSource({"av1,7680x4320", "av1,4096x2160", "hevc,2160x4096", "vp9,5120x2880"})
    void refuses_frames_larger_than_4k_for_encoders_that_need_huge_memory(String codec, String resolution) {
        Set<String> all = Set.of("libx264", "libx265", "libsvtav1", "libvpx-vp9");
        Refusal e = assertThrows(Refusal.class,
                () -> TranscodeOptions.parse(codec, null, resolution, all));
        assertEquals("resolution", e.field());
        assertTrue(e.getMessage().contains("at most 4K"), e.getMessage());
        assertEquals("3840x2160", TranscodeOptions.parse(codec, null, "3840x2160", all).resolution());
        assertEquals("2160x3840", TranscodeOptions.parse(codec, null, "2160x3840", all).resolution());
        assertEquals("7680x4320", TranscodeOptions.parse("h264", null, "7680x4320", all).resolution());
    }

    @Test
    void h264_goes_into_mp4_with_aac() {
        TranscodeOptions.Container c = TranscodeOptions.parse("libx264", null, null, AVAILABLE).container();
        assertEquals(TranscodeOptions.Container.MP4, c);
        assertEquals("mp4", c.extension());
        assertEquals("aac", c.audioEncoder());
    }

    @Test
    void vp9_goes_into_webm_with_opus() {
        TranscodeOptions.Container c = TranscodeOptions.parse("vp9", null, null, AVAILABLE).container();
        assertEquals(TranscodeOptions.Container.WEBM, c);
        assertEquals("webm", c.extension());
        assertEquals("libopus", c.audioEncoder());
    }
}
