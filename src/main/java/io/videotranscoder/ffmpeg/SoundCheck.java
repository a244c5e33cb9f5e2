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
 * a whole picture. Where the input's sound lasts as long as the input, the output's must last as long as the output:
 * its last packets are read ({@link FfmpegArguments#soundEnd}): a ladder's first rendition's last segment (FFmpeg's
 * HLS demuxer seeks unreliably: to its first timestamp not at all, into a picture held once a second to no packet), or
 * a file's last ten seconds.
 */
public final class SoundCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far before a file's end its sound's packets are read: some of them, never the whole sound. */
    private static final double READ_SECONDS = 10;

    private SoundCheck() {
    }

    /**
     * What of an output's sound is read, and where it must reach: the output's end.
     *
     * @param source   what ffprobe reads: the file, or a ladder's init segment and last segment joined, named from the
     *                 main output's folder, where it runs
     * @param seek     the time, in the output's, ffprobe seeks to first; null: none
     * @param readFrom the time from which packets are read, in the output's
     * @param start    the output's start
     * @param end      the output's end: where its sound must reach, within the gate's tolerance
     */
    public record Read(String source, Double seek, double readFrom, double start, double end) {

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
            return List.of(last != null
                    ? String.format(Locale.ROOT, "its sound stops at %.2f s of its %.2f s", last - start, length)
                    : String.format(Locale.ROOT, "its sound stops before %.2f s of its %.2f s", readFrom - start,
                            length));
        }
    }

    /**
     * Whether the output's sound must be read: a ladder's, or a picture's looked at alone, of an input whose sound
     * lasts as long as the input (a sound that stops before its picture, or begins late, is not known to reach the
     * end).
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
            || sound < inputSeconds - OutputCheck.tolerance(inputSeconds)) {
            return null;
        }
        JsonNode format = JSON.readTree(verifyJson).path("format");
        if (!format.hasNonNull("duration")) {
            return null;
        }
        double start = format.path("start_time").asDouble(0);
        double end = start + format.path("duration").asDouble();
        if (!preset.isLadder()) {
            double seek = end - READ_SECONDS;
            return seek > start ? new Read("file:" + main, seek, seek, start, end)
                    : new Read("file:" + main, null, start, start, end);
        }
        String rendition = HlsPlaylists.names(main).stream().filter(n -> n.endsWith(".m3u8")).findFirst().orElse(null);
        HlsPlaylists.LastSegment last = rendition == null ? null : HlsPlaylists.last(main.resolveSibling(rendition));
        if (last == null) {
            return null;
        }
        // Named as the playlist names them, from the folder ffprobe runs in, the main output's: a data root whose path
        // holds a "|" would split a whole path in two.
        return new Read("concat:" + last.init() + "|" + last.name(), null, start + last.start(), start, end);
    }
}
