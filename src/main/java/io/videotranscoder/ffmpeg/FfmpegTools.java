package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ffmpeg and ffprobe this process runs, the encoders that ffmpeg really has, and the threads each may use. */
public record FfmpegTools(Path ffmpeg, Path ffprobe, Set<String> encoders, CodecThreads threads) {

    private static final Pattern ENCODER_LINE = Pattern.compile("^ [VAS][A-Z.]{5} ([^=\\s]\\S*)\\s");

    /** Configured paths win; otherwise the executables bundled in the jar. */
    public static FfmpegTools locate(String ffmpegPath, String ffprobePath, Path cacheRoot, CodecThreads threads)
            throws IOException, InterruptedException {
        Path ffmpeg;
        Path ffprobe;
        if (isSet(ffmpegPath)) {
            ffmpeg = Path.of(ffmpegPath);
            ffprobe = isSet(ffprobePath) ? Path.of(ffprobePath) : ffmpeg.resolveSibling("ffprobe");
        } else {
            Path dir = BundledFfmpeg.unpack(cacheRoot);
            ffmpeg = dir.resolve("ffmpeg");
            ffprobe = isSet(ffprobePath) ? Path.of(ffprobePath) : dir.resolve("ffprobe");
        }
        return new FfmpegTools(ffmpeg, ffprobe, encoders(ffmpeg), threads);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static Set<String> encoders(Path ffmpeg) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-encoders")
                .redirectErrorStream(true).start();
        String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(ffmpeg + " -encoders failed: " + listing);
        }
        return parseEncoders(listing);
    }

    static Set<String> parseEncoders(String listing) {
        Set<String> names = new TreeSet<>();
        for (String line : listing.split("\n")) {
            Matcher m = ENCODER_LINE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return Set.copyOf(names);
    }
}
