package io.videotranscoder.ffmpeg;

import java.util.ArrayList;
import java.util.List;

import io.videotranscoder.preset.Preset;

/** The encoder options of one output stream: codec, quality or bitrate, speed, and what each codec needs besides. */
final class EncoderArguments {

    private EncoderArguments() {
    }

    /**
     * @param bitrate the bitrate for this stream (see {@link PictureFit#bitrate}); ignored at a constant quality
     * @param stream  the output stream's specifier suffix, e.g. {@code :2} for a ladder's third rendition, or ""
     */
    static List<String> video(Preset.Video video, String bitrate, String stream) {
        List<String> args = new ArrayList<>(List.of("-c:v" + stream, video.codec()));
        if (video.crf() != null) {
            args.addAll(List.of("-crf:v" + stream, Integer.toString(video.crf())));
            if ("libvpx-vp9".equals(video.codec())) {
                args.addAll(List.of("-b:v" + stream, "0")); // constant quality mode
            }
        } else if (bitrate != null) {
            args.addAll(List.of("-b:v" + stream, bitrate));
        }
        if (video.speed() != null) {
            args.addAll(List.of("-preset:v" + stream, video.speed()));
        }
        switch (video.codec()) {
            case "libx265" -> args.addAll(List.of("-tag:v", "hvc1", "-x265-params", "log-level=error"));
            case "libvpx-vp9" -> args.addAll(List.of("-row-mt", "1", "-deadline", "good", "-cpu-used", "4"));
            case "libsvtav1" -> args.addAll(List.of("-preset:v" + stream, "8"));
            default -> { }
        }
        args.addAll(List.of("-pix_fmt:v" + stream, "yuv420p"));
        return args;
    }

    /**
     * Every output's audio is one stream, encoded once. Opus takes surround sound only in the channel orders of its
     * mapping family 1 (Vorbis's), and libopus refused any other layout (AC-3's 5.1 with side channels among them):
     * the job failed. Other layouts are now converted to one of those, the one FFmpeg's format negotiation picks, by
     * its resampler: 5.1 with side channels becomes 5.1, 5.0 with side channels 6.1 (two channels silent), 2.1 stereo
     * (the low frequencies left out, as FFmpeg's downmix leaves them by default).
     */
    static List<String> audio(Preset.Audio audio) {
        List<String> args = new ArrayList<>(List.of("-c:a", audio.codec()));
        if (audio.bitrate() != null) {
            args.addAll(List.of("-b:a", audio.bitrate()));
        }
        if ("libopus".equals(audio.codec())) {
            args.addAll(List.of("-af", "aformat=channel_layouts=mono|stereo|3.0|quad|5.0|5.1|6.1|7.1"));
        }
        return args;
    }
}
