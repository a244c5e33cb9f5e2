package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.preset.Preset;

/**
 * The verification of an output's sound where the gate's probe cannot tell its length ({@link OutputCheck}): an HLS
 * ladder's playlists last as long as their picture, and a picture looked at alone is probed without its sound. A sound
 * that did not decode past its middle (FFmpeg goes on past such packets and exits 0) then passed for a success under
 * a whole picture. Where the input's sound lasts as long as the input, the output's must reach the output's end,
 * within the gate's tolerance: its packets are read ({@link FfmpegArguments#soundEnd}) from before that point, without
 * a seek (FFmpeg's HLS demuxer refused one to its first timestamp, and sought a picture held once a second to no
 * packet; a WebM file's seek may land past the point): a ladder's last rendition's segments from the one that holds
 * it, or a whole file.
 */
public final class SoundCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much before the least end the tolerance allows a ladder's segments are read from. */
    private static final double MARGIN_SECONDS = 1;

    private SoundCheck() {
    }

    /**
     * What of an output's sound is read, and where it must reach: the output's end.
     *
     * @param source   what ffprobe reads: the file, or a ladder's init segment and last segments joined, named from the
     *                 main output's folder, where it runs
     * @param readFrom the time from which packets are read, in the output's
     * @param start    the output's start
     * @param end      the output's end: where its sound must reach, within the gate's tolerance
     */
    public record Read(String source, double readFrom, double start, double end) {

        /**
         * What is wrong with the sound that {@link FfmpegArguments#soundEnd} read (the time of each packet, one a
         * line), empty when it reaches the end.
         */
        public List<String> problems(String packetTimes) {
            Double last = null;
            for (String line : packetTimes.split("\n")) {
                String time = line.strip();
                last = time.matches("-?[0-9]+(\\.[0-9]+)?") ? Double.valueOf(time) : last;
            }
            double length = end - start;
            if (last != null && last >= end - OutputCheck.tolerance(length)) {
                return List.of();
            }
            return List.of(last != null
                    ? String.format(Locale.ROOT, "its sound stops at %.2f s of its %.2f s", last - start, length)
                    : String.format(Locale.ROOT, "its sound stops before %.2f s of its %.2f s", readFrom - start,
                            length));
        }
    }

    /**
     * Whether the output's sound must be read: a ladder's, or a picture's looked at alone, of an input whose sound
     * lasts as long as the input, within half the tolerance (a sound that stops before its picture, or begins late,
     * is not known to reach the end; the other half is for where the output's sound and picture begin, and its last
     * packet's own length).
     *
     * @param main       the main output: a file, or a ladder's master playlist, beside its renditions' playlists and
     *                   segments
     * @param verifyJson what the gate's probe said of it ({@link FfmpegArguments#verify})
     * @return what to read, or null where the gate's probe told enough
     */
    public static Read needed(Preset preset, MediaInfo input, Path main, String verifyJson) throws IOException {
        Double inputSeconds = input.durationSeconds();
        Double sound = input.soundSeconds();
        if (!preset.isLadder() && !OutputCheck.pictureAlone(preset, input) || preset.audio() == null
            || !input.hasAudio() || inputSeconds == null || sound == null
            || sound < inputSeconds - OutputCheck.tolerance(inputSeconds) / 2) {
            return null;
        }
        JsonNode format = JSON.readTree(verifyJson).path("format");
        if (!format.hasNonNull("duration")) {
            return null;
        }
        double start = format.path("start_time").asDouble(0);
        double length = format.path("duration").asDouble();
        if (!preset.isLadder()) {
            return new Read("file:" + main, start, start, start + length);
        }
        // The last rendition: the smallest of the shipped ladder, whose segments take the least to read.
        String rendition = HlsPlaylists.names(main).stream().filter(n -> n.endsWith(".m3u8")).reduce((a, b) -> b)
                .orElse(null);
        HlsPlaylists.Tail tail = rendition == null ? null : HlsPlaylists.tail(main.resolveSibling(rendition),
                length - OutputCheck.tolerance(length) - MARGIN_SECONDS);
        if (tail == null) {
            return null;
        }
        // Named as the playlist names them, from the folder ffprobe runs in, the main output's: a data root whose path
        // holds a "|" would split a whole path in two.
        return new Read("concat:" + tail.init() + "|" + String.join("|", tail.names()), start + tail.start(), start,
                start + length);
    }
}
