package io.videotranscoder.job;

import java.util.Map;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;

/** The named output settings a client or an inbox folder can ask for. */
public final class Presets {

    /** The original service's default output: H.264 at 1000k, 1280x720, AAC, MP4. */
    public static final String DEFAULT = "h264-720p";
    /** What a job made from explicit codec/bitrate/resolution fields is called. */
    public static final String CUSTOM = "custom";

    private static final Map<String, TranscodeOptions> PRESETS = Map.of(DEFAULT, TranscodeOptions.DEFAULT);

    private Presets() {
    }

    public static Optional<TranscodeOptions> find(String name) {
        return Optional.ofNullable(PRESETS.get(name));
    }

    public static String names() {
        return String.join(", ", PRESETS.keySet().stream().sorted().toList());
    }
}
