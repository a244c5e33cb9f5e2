package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.preset.Preset;

/**
 * The verification of an output's sound where the gate's probe cannot tell its length ({@link OutputCheck}): an HLS
 * ladder's playlists last as long as their picture, and a picture looked at alone is probed without its sound. A sound
 * that did not decode past its middle (FFmpeg goes on past such packets and exits 0) then passed for a success under
 * a whole picture. Where the input's sound lasts as long as the input, the output's must last as long as the output:
 * its last packets are read ({@link FfmpegArguments#soundEnd}), from shortly before the output's end.
 */
public final class SoundCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far before the output's end its sound's packets are read: some of them, never the whole sound. */
    private static final double READ_SECONDS = 10;

    private SoundCheck() {
    }

    /**
     * Where an output's sound is read from, and where it must reach: the output's end.
     *
     * @param from  the time, in the output's, from which its sound's packets are read
     * @param start the output's start
     * @param end   the output's end: where its sound must reach, within the gate's tolerance
     */
    public record Read(double from, double start, double end) {

        /** What is wrong with the sound that {@link FfmpegArguments#soundEnd} read, empty when it reaches the end. */
        public List<String> problems(String soundJson) throws IOException {
            Double last = null;
            for (JsonNode packet : JSON.readTree(soundJson).path("packets")) {
                last = packet.hasNonNull("pts_time") ? packet.path("pts_time").asDouble() : last;
            }
            double length = end - start;
            if (last != null && last >= end - OutputCheck.tolerance(length)) {
                return List.of();
            }
            return List.of(last == null
                    ? String.format(Locale.ROOT, "its sound stops before %.2f s of its %.2f s", from - start, length)
                    : String.format(Locale.ROOT, "its sound stops at %.2f s of its %.2f s", last - start, length));
        }
    }

    /**
     * Whether the output's sound must be read: a ladder's, or a picture's looked at alone, of an input whose sound
     * lasts as long as the input (a sound that stops before its picture, or begins late, is not known to reach the
     * end).
     *
     * @param verifyJson what the gate's probe said of the output ({@link FfmpegArguments#verify})
     * @return where to read it, or null where the gate's probe told enough
     */
    public static Read needed(Preset preset, MediaInfo input, String verifyJson) throws IOException {
        Double inputSeconds = input.durationSeconds();
        Double sound = input.soundSeconds();
        if (!preset.isLadder() && !OutputCheck.pictureAlone(preset, input) || preset.audio() == null
            || !input.hasAudio() || inputSeconds == null || sound == null
            || sound < inputSeconds - OutputCheck.tolerance(inputSeconds)) {
            return null;
        }
        JsonNode format = JSON.readTree(verifyJson).path("format");
        if (!format.hasNonNull("duration")) {
            return null;
        }
        double start = format.path("start_time").asDouble(0);
        double end = start + format.path("duration").asDouble();
        return new Read(Math.max(start, end - READ_SECONDS), start, end);
    }
}
