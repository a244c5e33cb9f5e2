package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** FFmpeg's {@code -progress} file: blocks of key=value lines, each ending with {@code progress=continue|end}. */
public final class FfmpegProgress {

    private static final int TAIL_BYTES = 4096;

    /** The latest report: media time written so far, speed as a multiple of real time, frames per second. */
    public record Report(double outTimeSeconds, Double speed, Double fps) {
    }

    private FfmpegProgress() {
    }

    public static Optional<Report> latest(Path file) throws IOException {
        String tail;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            tail = new String(bytes, StandardCharsets.UTF_8);
        }
        return parse(tail);
    }

    /** The media time of the last report in {@code file}, that of an FFmpeg that ended: null when it told none. */
    public static Double end(Path file) throws IOException {
        return latest(file).map(Report::outTimeSeconds).orElse(null);
    }

    /** The last complete block of {@code text}. */
    static Optional<Report> parse(String text) {
        int end = Math.max(text.lastIndexOf("progress=continue"), text.lastIndexOf("progress=end"));
        if (end < 0) {
            return Optional.empty();
        }
        int start = Math.max(text.lastIndexOf("progress=continue", end - 1), text.lastIndexOf("progress=end", end - 1));
        Map<String, String> block = new HashMap<>();
        for (String line : text.substring(Math.max(0, start), end).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                block.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        Double micros = number(block.get("out_time_us"));
        if (micros == null || micros < 0) {
            return Optional.empty();
        }
        String speed = block.get("speed");
        return Optional.of(new Report(micros / 1_000_000, speed == null ? null : number(speed.replace("x", "")),
                number(block.get("fps"))));
    }

    private static Double number(String value) {
        try {
            return value == null || value.equals("N/A") ? null : Double.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
