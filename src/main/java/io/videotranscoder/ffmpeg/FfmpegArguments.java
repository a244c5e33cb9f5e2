package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.List;

/** The argument lists handed to camel-exec: never a shell, never a string split on spaces. */
public final class FfmpegArguments {

    private FfmpegArguments() {
    }

    /** ffprobe's JSON description of the container and its streams. */
    public static List<String> probe(Path input) {
        return List.of("-hide_banner", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                "file:" + input);
    }

    /** One video stream and the first audio stream, if any, re-encoded into the options' container. */
    public static List<String> transcode(Path input, Path output, TranscodeOptions options) {
        TranscodeOptions.Container container = options.container();
        return List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-i", "file:" + input,
                "-map", "0:v:0", "-map", "0:a:0?",
                "-c:v", options.codec(), "-b:v", options.bitrate(),
                "-vf", "scale=" + options.width() + ":" + options.height(),
                "-pix_fmt", "yuv420p",
                "-c:a", container.audioEncoder(), "-b:a", "128k",
                "-movflags", "+faststart",
                "-f", container.extension(),
                "file:" + output);
    }
}
