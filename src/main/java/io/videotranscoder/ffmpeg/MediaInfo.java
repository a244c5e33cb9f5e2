package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What ffprobe says about an input. Any field may be null when the container does not tell. Width and height are the
 * picture as shown: a phone clip stored landscape with a quarter-turn rotation is portrait here, as FFmpeg's
 * autorotation will make it.
 *
 * @param videoStart when the video's first frame is, in the input's time (an MPEG-TS input's begins late): a split
 *                   job's segments are counted from it
 * @param start      when the input's first stream begins, in its time: a single pass counts its output's time from it
 * @param videoSeconds how long the video plays, where its stream tells: a still picture's one frame lasts 0.04 s of
 *                   a 20 s song
 * @param soundSeconds how long the sound plays, where its stream tells: a camera's microphone may stop before it
 * @param baseFrameRate the rate of the picture's frames as they begin ({@code r_frame_rate}): above its average
 *                      ({@code frameRate}) where some frames last longer (a screen recording that ends on a still)
 */
public record MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
        Double frameRate, String audioCodec, Integer audioChannels, Double videoStart, Double start,
        Double videoSeconds, Double soundSeconds, Double baseFrameRate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The demuxers that guess a file's length from the bitrate of its first packets where no header states it (raw
     * AAC, an MP3 without a Xing or VBRI header): a 30 s song whose first 10 s are quiet was said to last 362 s.
     */
    private static final Set<String> GUESSING_DEMUXERS = Set.of("mp3", "aac");

    /** Findings that say nothing of the picture's base rate. */
    public MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
            Double frameRate, String audioCodec, Integer audioChannels, Double videoStart, Double start,
            Double videoSeconds, Double soundSeconds) {
        this(format, durationSeconds, videoCodec, width, height, frameRate, audioCodec, audioChannels, videoStart,
                start, videoSeconds, soundSeconds, null);
    }

    /** Findings that say nothing of the sound's own length. */
    public MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
            Double frameRate, String audioCodec, Integer audioChannels, Double videoStart, Double start,
            Double videoSeconds) {
        this(format, durationSeconds, videoCodec, width, height, frameRate, audioCodec, audioChannels, videoStart,
                start, videoSeconds, null);
    }

    /** Findings that say nothing of the video's own length. */
    public MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
            Double frameRate, String audioCodec, Integer audioChannels, Double videoStart, Double start) {
        this(format, durationSeconds, videoCodec, width, height, frameRate, audioCodec, audioChannels, videoStart,
                start, null);
    }

    /** Findings whose video begins at 0, or says nothing of it. */
    public MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
            Double frameRate, String audioCodec, Integer audioChannels) {
        this(format, durationSeconds, videoCodec, width, height, frameRate, audioCodec, audioChannels, null, null);
    }

    /** Findings that say nothing of when the input begins. */
    public MediaInfo(String format, Double durationSeconds, String videoCodec, Integer width, Integer height,
            Double frameRate, String audioCodec, Integer audioChannels, Double videoStart) {
        this(format, durationSeconds, videoCodec, width, height, frameRate, audioCodec, audioChannels, videoStart,
                null);
    }

    /**
     * How long after the input's start its video begins (a recording whose sound began first): a single pass keeps
     * that delay, and a split job's join gives it back to the video. 0 when the probe did not tell.
     */
    public double videoDelay() {
        return videoStart == null || start == null ? 0 : Math.max(0, videoStart - start);
    }

    /**
     * How long the sound goes on after the picture's last frame (a still picture with a song, a camera stopped before
     * its microphone), in seconds; 0 where it does not, or where the probe did not tell.
     */
    public double soundAfterPicture() {
        if (!hasAudio() || !hasVideo() || videoSeconds == null || durationSeconds == null) {
            return 0;
        }
        return Math.max(0, durationSeconds - videoDelay() - videoSeconds);
    }

    /**
     * Whether the picture's frames are known to be evenly timed, its average rate its base rate within a fiftieth: no
     * frame lasts much longer than the others (a still a recording ends on, a slide shown longer), whose time an
     * encoder may not keep. Only an MP4 or MOV file's average rate tells (its frames over its length); another
     * container's may be its nominal one. False where the probe did not tell.
     */
    public boolean evenlyTimed() {
        return format != null && format.startsWith("mov,") && frameRate != null && baseFrameRate != null
               && baseFrameRate > 0 && Math.abs(frameRate - baseFrameRate) <= baseFrameRate / 50;
    }

    /** Whether the video is one picture: a single frame, as a still picture with a song has. */
    public boolean onePicture() {
        return frameRate != null && videoSeconds != null && frameRate * videoSeconds < 1.5;
    }

    /**
     * Frames a second over the whole input: the video's own rate where its picture lasts as long as the input, less
     * where the sound goes on after it (a still picture with a song has one frame in all); null where the probe did
     * not tell the rate.
     */
    public Double framesPerInputSecond() {
        if (frameRate == null || videoSeconds == null || durationSeconds == null || durationSeconds <= 0) {
            return frameRate;
        }
        return frameRate * Math.min(1, videoSeconds / durationSeconds);
    }

    /**
     * Whether FFmpeg may have guessed the input's length, or found none: a Matroska or WebM file written as a stream (a
     * browser's recording) states none, and without it no output's length could be checked, nor a poster's time be
     * taken within the video. It is measured then ({@link FfmpegArguments#measure}).
     */
    public boolean lengthGuessed() {
        return GUESSING_DEMUXERS.contains(format)
               || durationSeconds == null && format != null && format.startsWith("matroska");
    }

    /**
     * These findings with the length the input was measured to last; unknown (null) when the measure told none. The
     * sound's own length goes: the probe's was the same guess.
     */
    public MediaInfo measured(Double seconds) {
        return new MediaInfo(format, seconds, videoCodec, width, height, frameRate, audioCodec, audioChannels,
                videoStart, start, videoSeconds, null, baseFrameRate);
    }

    public boolean hasVideo() {
        return videoCodec != null;
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** Reads {@code ffprobe -print_format json -show_format -show_streams}. */
    public static MediaInfo parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode format = root.path("format");
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // Cover art is a one-frame "video" stream: not a video.
            boolean attachedPicture = stream.path("disposition").path("attached_pic").asInt() == 1;
            if (video == null && "video".equals(type) && !attachedPicture) {
                video = stream;
            } else if (audio == null && "audio".equals(type)) {
                audio = stream;
            }
        }
        boolean fromZero = ProbeLengths.endsFromZero(format, root.path("streams"));
        return new MediaInfo(
                text(format, "format_name"),
                ProbeLengths.played(format, video, audio, fromZero),
                video == null ? null : text(video, "codec_name"),
                ProbePicture.width(video),
                ProbePicture.height(video),
                ProbePicture.rate(video, "avg_frame_rate"),
                audio == null ? null : text(audio, "codec_name"),
                audio == null || !audio.has("channels") ? null : audio.path("channels").asInt(),
                video == null || !video.hasNonNull("start_time") ? null : video.path("start_time").asDouble(),
                format.hasNonNull("start_time") ? format.path("start_time").asDouble() : null,
                video == null ? null : ProbeLengths.stream(video, fromZero),
                audio == null ? null : ProbeLengths.stream(audio, fromZero),
                ProbePicture.rate(video, "r_frame_rate"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
