package io.videotranscoder.support;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a split job's output is checked for against a single pass: frames, durations, keyframes, audio gaps, errors. */
public final class MediaChecks {

    private MediaChecks() {
    }

    /** Issue 19's checks of a joined output against its source, split at {@code boundaries} (seconds). */
    public static void assertEquivalent(Path source, Path output, List<Double> boundaries) throws Exception {
        double frame = 1 / frameRate(source);
        assertEquals(frameRate(source), frameRate(output), 1e-6, "the same frame rate");
        assertEquals(frames(source), frames(output), "every frame, once");
        double video = duration(output, "v:0");
        double audio = duration(output, "a:0");
        assertEquals(video, audio, frame, "video " + video + " s and audio " + audio + " s within one frame");
        List<Double> keyframes = keyframes(output);
        double first = startTime(output, "v:0");
        for (double boundary : boundaries) {
            assertTrue(keyframes.stream().anyMatch(k -> Math.abs(k - first - boundary) < frame / 2),
                    "a keyframe " + boundary + " s after the first frame, at " + first + " s: " + keyframes);
        }
        // A sine has no silence: none but what the source decodes to (MPEG-TS keeps AAC's priming samples).
        assertEquals(silences(source), silences(output), "no gap in the audio at a join");
        assertEquals("", decodeErrors(output), "decodes without an error");
    }

    /**
     * The checks of {@link #assertEquivalent} a WebM output allows (Matroska keeps no stream durations): every frame at
     * the source's rate, keyframes at the boundaries, Opus sound, no decoding error.
     */
    public static void assertWebmEquivalent(Path source, Path output, List<Double> boundaries) throws Exception {
        assertEquals(frameRate(source), frameRate(output), 1e-6, "the same frame rate");
        assertEquals(frames(source), frames(output), "every frame, once");
        assertTrue(keyframes(output).containsAll(boundaries), "keyframes at " + boundaries + ": " + keyframes(output));
        assertEquals("opus", probe(output, "a:0", "stream=codec_name").strip());
        assertEquals("", decodeErrors(output), "decodes without an error");
    }

    /**
     * A clip for A/V sync: black with a white frame and a 1 kHz beep of one frame's length every 3 s, both at once.
     */
    public static Path flashAndBeep(Path dir, int seconds) throws Exception {
        Path file = dir.resolve("flash-and-beep.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "color=c=black:s=320x240:r=25:d=" + seconds
                + ",drawbox=c=white:t=fill:enable='lt(mod(t\\,3)\\,0.039)'", "-f", "lavfi", "-i",
                "sine=f=1000:d=" + seconds + ",volume=volume=0:enable='gte(mod(t\\,3)\\,0.04)'",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", file.toString());
        return file;
    }

    /** When the white frames of a {@link #flashAndBeep} clip are shown, in seconds. */
    public static List<Double> flashes(Path file) throws Exception {
        String out = Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-f", "lavfi", "-i",
                "movie=" + file + ",signalstats", "-show_entries", "frame=pts_time:frame_tags=lavfi.signalstats.YAVG",
                "-of", "csv=p=0");
        return out.lines().map(line -> line.split(",")).filter(f -> f.length == 2 && Double.parseDouble(f[1]) > 100)
                .map(f -> Double.valueOf(f[0])).toList();
    }

    /** When the beeps of a {@link #flashAndBeep} clip begin (the ends of its silences), in seconds. */
    public static List<Double> beeps(Path file) throws Exception {
        String out = Media.run(Media.tools().ffmpeg().toString(), "-hide_banner", "-nostats", "-i", file.toString(),
                "-map", "0:a:0", "-af", "silencedetect=noise=-30dB:d=0.5", "-f", "null", "-");
        return out.lines().filter(line -> line.contains("silence_end: "))
                .map(line -> line.replaceAll(".*silence_end: ([0-9.]+).*", "$1")).map(Double::valueOf).toList();
    }

    /** The video frames counted by decoding them all. */
    public static int frames(Path file) throws Exception {
        return Integer.parseInt(probe(file, "v:0", "stream=nb_read_frames", "-count_frames").strip());
    }

    /** The stream's duration in seconds ({@code v:0} or {@code a:0}). */
    public static double duration(Path file, String stream) throws Exception {
        return Double.parseDouble(probe(file, stream, "stream=duration").strip());
    }

    /** When the stream's first packet is, in the input's time. */
    public static double startTime(Path file, String stream) throws Exception {
        return Double.parseDouble(probe(file, stream, "stream=start_time").strip());
    }

    public static double frameRate(Path file) throws Exception {
        String[] rate = probe(file, "v:0", "stream=avg_frame_rate").strip().split("/");
        return Double.parseDouble(rate[0]) / Double.parseDouble(rate[1]);
    }

    /** When the video's keyframes are shown, in seconds. */
    public static List<Double> keyframes(Path file) throws Exception {
        String out = Media.run(Media.tools().ffprobe().toString(), "-v", "error", "-select_streams", "v:0",
                "-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0", file.toString());
        return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).map(s -> s.replace(",", ""))
                .map(Double::valueOf).toList();
    }

    /** FFmpeg's silencedetect report of every silence of 5 ms or more in the audio (a sine has none). */
    public static List<String> silences(Path file) throws Exception {
        String out = Media.run(Media.tools().ffmpeg().toString(), "-hide_banner", "-nostats", "-i", file.toString(),
                "-map", "0:a:0", "-af", "silencedetect=noise=-50dB:d=0.005", "-f", "null", "-");
        return out.lines().filter(line -> line.contains("silence_start"))
                .map(line -> line.replaceAll(".*silence_start", "silence_start")).toList();
    }

    /** What FFmpeg reports while decoding every frame of the file: nothing for a clean file. */
    public static String decodeErrors(Path file) throws Exception {
        return Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-i", file.toString(), "-f", "null", "-")
                .strip();
    }

    private static String probe(Path file, String stream, String entries, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Media.tools().ffprobe().toString(), "-v", "error"));
        command.addAll(List.of(more));
        command.addAll(List.of("-select_streams", stream, "-show_entries", entries, "-of", "csv=p=0",
                file.toString()));
        // The stream's line is the last: an MPEG-TS input's programs come first.
        List<String> lines = Media.run(command.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }
}
