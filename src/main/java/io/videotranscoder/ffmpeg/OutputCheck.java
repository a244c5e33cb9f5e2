package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.preset.Preset;

/**
 * The verification gate: what ffprobe says of an output must match the preset and the input (it decodes, its codec
 * and size are the preset's, its duration is the input's within a tolerance) before a job may succeed. Where the
 * probe looked at the picture alone ({@link #pictureAlone}), the sound's codec is not checked: its presence still is.
 * The file's length is checked, and each kept stream's where both the input and the output state it
 * ({@link #streamLengths}).
 */
public final class OutputCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The least an output's length may be off: an HLS ladder holds its picture past it ({@link HlsLadder#hold}). */
    public static final double MIN_TOLERANCE_SECONDS = 0.5;
    private static final double TOLERANCE_SHARE = 0.05;

    private OutputCheck() {
    }

    /**
     * Whether the output's picture may lie past its first packets, so that its verification looks at the video alone:
     * a one-file output of a long input whose picture has fewer frames than one a second (a still picture with an
     * hour of song, a slideshow over a podcast). The encoder gives its first packets only once it holds enough frames,
     * or at the end, and the muxer writes the sound without them after {@link FfmpegArguments#INTERLEAVE_WAIT}: the
     * first packets were all sound, and the job failed as "no video frame decodes". Counted from inputs half that
     * long. A ladder holds its picture ({@link HlsLadder#hold}). The sound's presence is still checked, not its codec.
     */
    public static boolean pictureAlone(Preset preset, MediaInfo input) {
        Double rate = input.framesPerInputSecond();
        double longInput = FfmpegArguments.INTERLEAVE_WAIT.toSeconds() / 2.0;
        // A rate the probe did not tell (a one-frame Matroska file's): a picture that ends long before its sound.
        boolean sparse = rate != null ? rate < 1 : input.soundAfterPicture() >= longInput;
        return preset.video() != null && !preset.isImage() && !preset.isLadder() && sparse
                && input.durationSeconds() != null && input.durationSeconds() >= longInput;
    }

    /** How far an output's length may be from its input's: half a second, or a twentieth of a long input. */
    public static double tolerance(double inputSeconds) {
        return Math.max(MIN_TOLERANCE_SECONDS, inputSeconds * TOLERANCE_SHARE);
    }

    /**
     * @param maxSeconds the longest input encoded (every encode stops there): an output that long, of an input whose
     *                   length is not stated (a Matroska file written as a stream), may be the start of a longer one
     * @return what is wrong, empty when the output is what the preset promised
     */
    public static List<String> problems(Preset preset, MediaInfo input, String probeJson, long maxSeconds)
            throws IOException {
        JsonNode root = JSON.readTree(probeJson);
        List<JsonNode> videos = new ArrayList<>();
        List<JsonNode> audios = new ArrayList<>();
        for (JsonNode stream : root.path("streams")) {
            switch (stream.path("codec_type").asText()) {
                case "video" -> videos.add(stream);
                case "audio" -> audios.add(stream);
                default -> { }
            }
        }
        List<String> problems = new ArrayList<>();
        boolean videoDecodes = false;
        boolean audioDecodes = false;
        for (JsonNode frame : root.path("frames")) {
            videoDecodes |= "video".equals(frame.path("media_type").asText());
            audioDecodes |= "audio".equals(frame.path("media_type").asText());
        }
        expect(problems, preset.isAudioOnly() || videoDecodes, "no video frame decodes");
        expect(problems, !preset.isAudioOnly() || audioDecodes, "no audio frame decodes");
        if (preset.isAudioOnly()) {
            expect(problems, videos.isEmpty(), "it has a video stream");
        } else if (preset.isLadder()) {
            int renditions = HlsLadder.renditions(preset, input).size();
            expect(problems, videos.size() == renditions, videos.size() + " renditions instead of " + renditions);
            videos.forEach(v -> checkVideo(problems, preset.video().codec(), v, null, input));
        } else {
            expect(problems, videos.size() == 1, "it has " + videos.size() + " video streams instead of 1");
            videos.stream().findFirst().ifPresent(v -> checkVideo(problems, preset.video().codec(), v, preset.video(),
                    input));
        }
        if (pictureAlone(preset, input)) {
            // Only the video's streams are described: the file's count of streams tells whether the sound is there.
            expect(problems, !input.hasAudio() || preset.audio() == null
                    || root.path("format").path("nb_streams").asInt() > videos.size(), "it has no audio stream");
        } else if (preset.audio() != null && input.hasAudio() && !preset.isImage()) {
            String expected = Preset.CODEC_NAMES.get(preset.audio().codec());
            expect(problems, audios.stream().anyMatch(a -> expected.equals(a.path("codec_name").asText())),
                    "no " + expected + " audio");
        }
        if (!preset.isImage() && input.durationSeconds() != null && root.path("format").has("duration")) {
            // A ladder's playlists last as long as its video: a sound that began before it (as a transport stream's
            // often does) is not counted. The sound alone lasts as long as the input's sound, which may stop before
            // its picture does (a camera's microphone), or as the input (a sound that begins late keeps its delay).
            double in = input.durationSeconds() - (preset.isLadder() ? input.videoDelay() : 0);
            double out = root.path("format").path("duration").asDouble();
            Double sound = preset.isAudioOnly() ? input.soundSeconds() : null;
            expect(problems, Math.abs(out - in) <= tolerance(in)
                             || sound != null && Math.abs(out - sound) <= tolerance(sound),
                    String.format(Locale.ROOT, "it lasts %.2f s, the input %.2f s", out,
                            sound != null ? sound : in));
        }
        if (!preset.isImage() && !preset.isAudioOnly() && !preset.isLadder()) {
            streamLengths(problems, preset, input, root, videos, audios, maxSeconds);
        }
        if (!preset.isImage() && input.durationSeconds() == null && root.path("format").has("duration")) {
            double out = root.path("format").path("duration").asDouble();
            expect(problems, out < maxSeconds - MIN_TOLERANCE_SECONDS, String.format(Locale.ROOT,
                    "it lasts %.0f s, as long as this server encodes (TRANSCODER_MAX_INPUT_SECONDS), and the input, "
                    + "whose length it does not state, may be longer", out));
        }
        return problems;
    }

    /**
     * A one-file output's picture and sound each last at least as long as the input's: FFmpeg goes on past packets that
     * do not decode and exits 0, so a video whose second half was damaged came out as its first half under the whole
     * sound, and the file lasted as long as the input. Only shorter is wrong: a picture's last frame may be given a
     * longer time than the input gave it. The picture is compared only where the input's frames are known to be evenly
     * timed ({@link MediaInfo#evenlyTimed}): x265 and SVT-AV1 give the last frame the others' time, and a still a
     * recording ends on was cut to a frame's. A ladder's playlists last as long as its picture, which the file's length
     * already checks.
     */
    private static void streamLengths(List<String> problems, Preset preset, MediaInfo input, JsonNode root,
            List<JsonNode> videos, List<JsonNode> audios, long maxSeconds) {
        boolean fromZero = ProbeLengths.endsFromZero(root.path("format"), root.path("streams"));
        if (!videos.isEmpty() && input.evenlyTimed()) {
            streamLength(problems, "picture", ProbeLengths.stream(videos.get(0), fromZero), input.videoSeconds(),
                    input, input.videoDelay(), maxSeconds);
        }
        if (!audios.isEmpty() && preset.audio() != null) {
            streamLength(problems, "sound", ProbeLengths.stream(audios.get(0), fromZero), input.soundSeconds(),
                    input, 0, maxSeconds);
        }
    }

    /**
     * An output stream {@code out} seconds long of an input stream {@code in} seconds long that began {@code delay}
     * after the input: it must last as long as what the encode reads of that stream (the file, and at most the
     * longest input encoded).
     */
    private static void streamLength(List<String> problems, String what, Double out, Double in, MediaInfo input,
            double delay, long maxSeconds) {
        if (out == null || in == null) {
            return;
        }
        double expected = Math.min(in, maxSeconds);
        if (input.durationSeconds() != null) {
            expected = Math.min(expected, input.durationSeconds() - delay);
        }
        expect(problems, out >= expected - tolerance(expected), String.format(Locale.ROOT,
                "its %s lasts %.2f s, the input's %.2f s", what, out, expected));
    }

    private static void checkVideo(List<String> problems, String encoder, JsonNode stream, Preset.Video box,
            MediaInfo input) {
        String expected = Preset.CODEC_NAMES.get(encoder);
        String codec = stream.path("codec_name").asText();
        expect(problems, expected.equals(codec), "video is " + codec + ", not " + expected);
        int width = stream.path("width").asInt();
        int height = stream.path("height").asInt();
        expect(problems, width > 0 && height > 0, "the video has no size");
        if (box != null) {
            // The box is turned to the picture's orientation, as PictureFit.scale turns it.
            expect(problems, Math.max(width, height) <= Math.max(box.width(), box.height())
                    && Math.min(width, height) <= Math.min(box.width(), box.height()),
                    width + "x" + height + " does not fit " + box.width() + "x" + box.height());
            if (!box.enlarges() && input.width() != null) {
                expect(problems, width <= input.width() && height <= input.height(),
                        width + "x" + height + " is larger than the source");
            }
        }
        if (!"mjpeg".equals(codec)) {
            expect(problems, width % 2 == 0 && height % 2 == 0, width + "x" + height + " is not even");
        }
    }

    private static void expect(List<String> problems, boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }
}
