package io.videotranscoder.preset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What a job produces, as data. The container says the kind: {@code mp4} and {@code webm} are one video file,
 * {@code m4a} the sound only, {@code hls} a ladder of renditions with a master playlist, {@code jpg} a poster image.
 *
 * @param at           for a poster, where to take it, as a fraction of the video's length
 * @param keepMetadata whether the input's titles, comments, locations and chapters are copied into the outputs (they
 *                     are dropped unless a preset says so)
 */
public record Preset(String name, String description, String container, Video video, Audio audio,
        List<Rendition> renditions, Integer segmentSeconds, Double at, Boolean keepMetadata) {

    /** A video encoder and its settings; width and height are a box the picture fits in. */
    public record Video(String codec, String bitrate, Integer crf, String speed, Integer width, Integer height,
            Boolean upscale) {

        public boolean enlarges() {
            return Boolean.TRUE.equals(upscale);
        }
    }

    public record Audio(String codec, String bitrate) {
    }

    public record Rendition(int width, int height, String bitrate) {
    }

    /** FFmpeg's name for what each encoder writes, as ffprobe reports it. */
    public static final Map<String, String> CODEC_NAMES = Map.ofEntries(
            Map.entry("libx264", "h264"), Map.entry("libopenh264", "h264"), Map.entry("libx265", "hevc"),
            Map.entry("mpeg4", "mpeg4"), Map.entry("libvpx-vp9", "vp9"), Map.entry("libvpx", "vp8"),
            Map.entry("libsvtav1", "av1"), Map.entry("libaom-av1", "av1"), Map.entry("mjpeg", "mjpeg"),
            Map.entry("aac", "aac"), Map.entry("libfdk_aac", "aac"), Map.entry("libopus", "opus"),
            Map.entry("libmp3lame", "mp3"));

    /** The video encoders that take a constant quality ({@code crf}), and its highest value for each. */
    private static final Map<String, Integer> MOST_CRF = Map.of("libx264", 51, "libx265", 51, "libvpx-vp9", 63,
            "libvpx", 63, "libsvtav1", 63, "libaom-av1", 63);
    /** A ladder's renditions: each is one more encoder in the same run. */
    private static final int MOST_RENDITIONS = 8;
    /** The codecs of {@link #CODEC_NAMES} that encode sound: the others encode pictures. */
    private static final Set<String> AUDIO_CODECS = Set.of("aac", "libfdk_aac", "libopus", "libmp3lame");
    private static final int DEFAULT_HLS_SEGMENT_SECONDS = 4;
    private static final Set<String> CONTAINERS = Set.of("mp4", "webm", "m4a", "hls", "jpg");
    private static final Set<String> SPEEDS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern BITRATE = Pattern.compile("[1-9][0-9]{1,5}k|[1-9][0-9]?M");

    @JsonIgnore
    public boolean isAudioOnly() {
        return "m4a".equals(container);
    }

    @JsonIgnore
    public boolean isLadder() {
        return "hls".equals(container);
    }

    @JsonIgnore
    public boolean isImage() {
        return "jpg".equals(container);
    }

    @JsonIgnore
    public boolean keepsMetadata() {
        return Boolean.TRUE.equals(keepMetadata);
    }

    /** A ladder's HLS segment duration, in seconds: the preset's, or 4 s. */
    public int hlsSegmentSeconds() {
        return segmentSeconds == null ? DEFAULT_HLS_SEGMENT_SECONDS : segmentSeconds;
    }

    /** The encoders this preset needs from FFmpeg. */
    public List<String> encoders() {
        List<String> names = new ArrayList<>();
        if (video != null) {
            names.add(video.codec());
        }
        if (audio != null) {
            names.add(audio.codec());
        }
        return names;
    }

    /** The file a client gets from {@code GET /jobs/{id}/output}. */
    public String mainOutput() {
        return switch (container) {
            case "hls" -> "master.m3u8";
            case "jpg" -> "poster.jpg";
            case "m4a" -> "audio.m4a";
            default -> "output." + container;
        };
    }

    /**
     * Checks a preset read from YAML: every value that reaches FFmpeg is whitelisted or a bounded number.
     *
     * @throws IllegalArgumentException naming the preset and what is wrong
     */
    public Preset validated() {
        require(name != null && NAME.matcher(name).matches(), "name must be lower-case letters, digits and dashes");
        require(CONTAINERS.contains(container), "container must be one of " + CONTAINERS);
        require(isAudioOnly() ? video == null && audio != null : video != null,
                isAudioOnly() ? "an m4a preset has audio and no video" : "this container needs a video section");
        // The input's sound is encoded with it (a silent output is not a preset's choice here).
        require(isImage() || audio != null, "this container needs an audio section");
        if (video != null) {
            require(CODEC_NAMES.containsKey(video.codec()) && !AUDIO_CODECS.contains(video.codec()),
                    "unknown video codec " + video.codec());
            require(video.bitrate() == null || BITRATE.matcher(video.bitrate()).matches(), "bitrate like 1500k or 4M");
            require(video.crf() == null || MOST_CRF.containsKey(video.codec()) && video.crf() >= 0
                    && video.crf() <= MOST_CRF.get(video.codec()), "crf only for " + MOST_CRF.keySet().stream()
                    .sorted().toList() + ", within 0..51 for x264 and x265, 0..63 for the others");
            require(video.speed() == null || SPEEDS.contains(video.speed()), "speed must be one of " + SPEEDS);
            require(isLadder() || video.width() != null && video.height() != null, "video needs width and height");
            require(video.width() == null || evenWithin(video.width(), 7680), "width even within 16..7680");
            require(video.height() == null || evenWithin(video.height(), 4320), "height even within 16..4320");
        }
        if (audio != null) {
            require(AUDIO_CODECS.contains(audio.codec()), "unknown audio codec " + audio.codec());
            require(audio.bitrate() == null || BITRATE.matcher(audio.bitrate()).matches(), "audio bitrate like 128k");
        }
        if (isLadder()) {
            require(renditions != null && !renditions.isEmpty() && renditions.size() <= MOST_RENDITIONS,
                    "an hls preset lists its renditions, " + MOST_RENDITIONS + " at most");
            for (Rendition r : renditions) {
                require(evenWithin(r.width(), 7680) && evenWithin(r.height(), 4320), "rendition sizes even, in range");
                require(BITRATE.matcher(r.bitrate()).matches(), "rendition bitrate like 2800k");
            }
            require(segmentSeconds == null || segmentSeconds >= 1 && segmentSeconds <= 60, "segmentSeconds 1..60");
        }
        require(at == null || at >= 0 && at < 1, "at is a fraction of the duration, within 0..1");
        return this;
    }

    private static boolean evenWithin(int value, int max) {
        return value >= 16 && value <= max && value % 2 == 0;
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Preset " + name + ": " + message);
        }
    }
}
