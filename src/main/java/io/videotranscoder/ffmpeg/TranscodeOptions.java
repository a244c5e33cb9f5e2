package io.videotranscoder.ffmpeg;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.preset.Preset;

/**
 * What one job produces: a video encoder, a bitrate and an exact frame size. Values come from clients, so
 * {@link #parse} admits only whitelisted encoders this FFmpeg has and numbers within range.
 */
public record TranscodeOptions(String codec, String bitrate, int width, int height) {

    /** The preset name of a job given the original API's fields instead of a preset. */
    public static final String CUSTOM = "custom";

    /** The original service's defaults. */
    public static final TranscodeOptions DEFAULT = new TranscodeOptions("libx264", "1000k", 1280, 720);

    private static final Map<String, String> ALIASES = Map.of(
            "h264", "libx264", "x264", "libx264", "hevc", "libx265", "h265", "libx265",
            "vp9", "libvpx-vp9", "av1", "libsvtav1");
    private static final Map<String, Container> ENCODERS = Map.of(
            "libx264", Container.MP4, "libopenh264", Container.MP4, "libx265", Container.MP4,
            "mpeg4", Container.MP4, "libsvtav1", Container.MP4, "libaom-av1", Container.MP4,
            "libvpx-vp9", Container.WEBM, "libvpx", Container.WEBM);
    /**
     * Encoders whose memory grows far faster with the frame than H.264's: an 8K AV1 encode of a one-second clip took
     * 4 GB. They make at most 4K (3840x2160 or 2160x3840), which fits the default FFmpeg memory limit.
     */
    private static final Set<String> HEAVY = Set.of("libx265", "libsvtav1", "libaom-av1", "libvpx-vp9");
    private static final long HEAVY_MAX_PIXELS = 3840L * 2160;
    private static final Pattern BITRATE = Pattern.compile("([0-9]{1,8})([kKmM]?)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,5})x([0-9]{1,5})");
    private static final long MIN_BITS = 64_000;
    private static final long MAX_BITS = 100_000_000;

    /** A container and the audio encoder that goes with it. */
    public enum Container {
        MP4("mp4", "aac"), WEBM("webm", "libopus");

        private final String extension;
        private final String audioEncoder;

        Container(String extension, String audioEncoder) {
            this.extension = extension;
            this.audioEncoder = audioEncoder;
        }

        public String extension() {
            return extension;
        }

        public String audioEncoder() {
            return audioEncoder;
        }
    }

    public Container container() {
        return ENCODERS.get(codec);
    }

    public String resolution() {
        return width + "x" + height;
    }

    /** The custom preset these options make: the picture fits the size given, keeping its shape. */
    public Preset toPreset() {
        Container c = container();
        return new Preset(CUSTOM, codec + " " + bitrate + " " + resolution(), c.extension(),
                new Preset.Video(codec, bitrate, null, null, width, height, true), new Preset.Audio(c.audioEncoder(),
                        "128k"), null, null, null, null);
    }

    /** Null or blank fields take the default; anything else must pass the whitelist and ranges. */
    public static TranscodeOptions parse(String codec, String bitrate, String resolution, Set<String> available) {
        String encoder = blank(codec) ? DEFAULT.codec : parseCodec(codec.trim(), available);
        String rate = blank(bitrate) ? DEFAULT.bitrate : parseBitrate(bitrate.trim());
        if (blank(resolution)) {
            return new TranscodeOptions(encoder, rate, DEFAULT.width, DEFAULT.height);
        }
        Matcher m = SIZE.matcher(resolution.trim());
        if (!m.matches()) {
            throw Refusal.invalidField("resolution", "resolution must be WIDTHxHEIGHT, e.g. 1280x720");
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w < 16 || w > 7680 || h < 16 || h > 4320 || w % 2 != 0 || h % 2 != 0) {
            throw Refusal.invalidField("resolution",
                    "resolution must be even numbers within 16..7680 x 16..4320, got " + w + "x" + h);
        }
        if (HEAVY.contains(encoder) && (long) w * h > HEAVY_MAX_PIXELS) {
            throw Refusal.invalidField("resolution", encoder + " makes at most 4K (3840x2160 pixels, either way"
                    + " round), got " + w + "x" + h + "; use libx264 for larger frames");
        }
        return new TranscodeOptions(encoder, rate, w, h);
    }

    private static String parseCodec(String value, Set<String> available) {
        String name = ALIASES.getOrDefault(value.toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT));
        if (!ENCODERS.containsKey(name) || !available.contains(name)) {
            String choices = ENCODERS.keySet().stream().filter(available::contains).sorted()
                    .collect(Collectors.joining(", "));
            throw Refusal.invalidField("codec", "codec must be one of: " + choices);
        }
        return name;
    }

    private static String parseBitrate(String value) {
        Matcher m = BITRATE.matcher(value);
        if (!m.matches()) {
            throw Refusal.invalidField("bitrate", "bitrate must be a number of bits per second, e.g. 800k or 4M");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long bits = switch (unit) {
            case "k" -> number * 1_000;
            case "m" -> number * 1_000_000;
            default -> number;
        };
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw Refusal.invalidField("bitrate", "bitrate must be within 64k..100M, got " + value);
        }
        return bits % 1_000 == 0 ? (bits / 1_000) + "k" : Long.toString(bits);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
