package io.videotranscoder.ffmpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What FFmpeg may read from an input, and how much of it. FFmpeg picks its demuxer from a file's content, and
 * manifest, playlist and image-sequence demuxers open other files and URLs: only container demuxers that read the one
 * file they are given are allowed, through the {@code file} protocol alone. Past that, limits on duration, frame size
 * and rate refuse inputs that would occupy a worker for hours.
 *
 * @param maxDurationSeconds the longest input accepted
 * @param maxPixels          the largest frame (width × height) accepted
 * @param maxFrameRate       the highest frame rate accepted
 */
public record InputPolicy(long maxDurationSeconds, long maxPixels, double maxFrameRate) {

    /**
     * FFmpeg's demuxer names: MP4/MOV (and 3GP, M4A), Matroska/WebM, AVI, MPEG-TS, MPEG-PS (VOB), FLV, ASF/WMV, MXF,
     * DV, Ogg, Y4M, animated GIF, and the audio files an audio preset takes (MP3, WAV, FLAC, AAC/ADTS).
     */
    public static final List<String> DEMUXERS = List.of("mov", "matroska", "avi", "mpegts", "mpeg", "flv", "asf",
            "mxf", "dv", "ogg", "yuv4mpegpipe", "gif", "mp3", "wav", "flac", "aac");

    /** What a person may call the formats that are refused most often. */
    private static final Map<String, String> REFUSED_NAMES = Map.ofEntries(
            Map.entry("hls", "HLS playlists"), Map.entry("dash", "MPEG-DASH manifests"),
            Map.entry("concat", "FFmpeg concat scripts"), Map.entry("sdp", "SDP session descriptions"),
            Map.entry("imf", "IMF compositions"), Map.entry("rtsp", "RTSP descriptions"),
            Map.entry("image2", "image sequences"), Map.entry("tty", "text files"),
            Map.entry("smjpeg", "SMJPEG files"), Map.entry("ffmetadata", "FFmpeg metadata files"),
            Map.entry("srt", "subtitle files"), Map.entry("webvtt", "subtitle files"), Map.entry("ass", "subtitle files"));
    /** {@code [hls @ 0x55d0c8a4c240] Format not on whitelist 'mov,...'}: the bracket names the demuxer. */
    private static final Pattern NOT_ON_WHITELIST = Pattern.compile("\\[([\\w,]+) @ 0x[0-9a-f]+] Format not on whitelist");

    /** Options that go before {@code -i} (ffmpeg) or the file (ffprobe), for any input a client sent. */
    public static List<String> readOnlyTheFile() {
        return List.of("-protocol_whitelist", "file", "-format_whitelist", String.join(",", DEMUXERS));
    }

    /** The decoders' refusal of frames larger than the limit, for ffmpeg's input. */
    public List<String> decoderLimits() {
        return List.of("-max_pixels", Long.toString(maxPixels));
    }

    /**
     * Why FFmpeg refused the input's format, when that is what its stderr says: in words that tell what to send
     * instead.
     */
    public static Optional<String> formatRefusal(String stderr) {
        if (stderr == null) {
            return Optional.empty();
        }
        Matcher m = NOT_ON_WHITELIST.matcher(stderr);
        if (!m.find()) {
            return Optional.empty();
        }
        String demuxer = m.group(1).split(",")[0];
        String what = REFUSED_NAMES.getOrDefault(demuxer, "Files in FFmpeg's " + demuxer + " format");
        if (demuxer.endsWith("_pipe")) {
            what = "Still images (" + demuxer.substring(0, demuxer.length() - 5).toUpperCase(Locale.ROOT) + ")";
        }
        return Optional.of(what + " are not accepted: upload the media itself (MP4, MOV, MKV, WebM, AVI, MPEG-TS,"
                           + " MPEG-PS, FLV, WMV, MXF, DV, Ogg, Y4M or GIF; MP3, WAV, FLAC or AAC for sound).");
    }

    /** Why the input is over a limit, naming the setting that raises it; empty when it is within them all. */
    public Optional<String> violation(MediaInfo info) {
        if (info.durationSeconds() != null && info.durationSeconds() > maxDurationSeconds) {
            return Optional.of("The input lasts " + clock(info.durationSeconds()) + ", longer than the limit of "
                               + clock(maxDurationSeconds) + " (TRANSCODER_MAX_INPUT_SECONDS).");
        }
        if (info.width() != null && info.height() != null && (long) info.width() * info.height() > maxPixels) {
            return Optional.of("The input's frames are " + info.width() + "x" + info.height() + ", larger than the"
                               + " limit of " + maxPixels + " pixels (TRANSCODER_MAX_INPUT_PIXELS).");
        }
        if (info.frameRate() != null && info.frameRate() > maxFrameRate) {
            return Optional.of("The input has " + info.frameRate() + " frames per second, more than the limit of "
                               + fps(maxFrameRate) + " (TRANSCODER_MAX_INPUT_FRAME_RATE).");
        }
        return Optional.empty();
    }

    /**
     * Bounds on what one FFmpeg run may produce, as output options: never longer than the longest input accepted, and
     * never a frame duplicated to fill a gap in the input's timestamps ({@code -fps_mode vfr}): a file whose second
     * frame is stamped at ten hours makes two frames, not a million. They do not depend on the probe, so that an
     * encode can start beside it. The video's frames are bounded by {@link #frameCap}.
     */
    public List<String> outputLimits(boolean video) {
        List<String> limits = new ArrayList<>(List.of("-t", Long.toString(maxDurationSeconds)));
        if (video) {
            limits.addAll(List.of("-fps_mode", "vfr"));
        }
        return limits;
    }

    /**
     * The head of the video's filters that lets through no more frames than the longest input at the highest rate
     * accepted. A filter, not FFmpeg's {@code -frames:v}: that output option ended the output's sound where its
     * picture ended (a still picture and a song kept 11 s of 20, a video 2 s shorter than its sound lost them).
     */
    public String frameCap() {
        return "trim=end_frame=" + maxOutputFrames() + ",";
    }

    /** The longest input at the highest rate: no output of an accepted input has more frames. */
    public long maxOutputFrames() {
        return (long) Math.ceil(maxDurationSeconds * maxFrameRate);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String fps(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
