package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.videotranscoder.preset.Preset;

/** The argument lists handed to camel-exec: never a shell, never a string split on spaces. */
public final class FfmpegArguments {

    /** Where FFmpeg reports progress (key=value blocks), inside the job's work folder. */
    public static final String PROGRESS_FILE = "progress.txt";
    private static final int DEFAULT_SEGMENT_SECONDS = 4;
    private static final double DEFAULT_POSTER_AT = 0.1;
    /** The least bitrate a scaled-down video gets, the lower bound of a client's own bitrate. */
    private static final long MIN_VIDEO_KILOBITS = 64;
    /** A picture this close to its box (854x480 shown as 852x480) needs the box's bitrate. */
    private static final double FULL_BOX = 0.95;

    private FfmpegArguments() {
    }

    /** The demuxers of what the presets write, for the verification of a job's own outputs. */
    private static final String OUTPUT_DEMUXERS = "mov,matroska,hls,mpegts,image2,jpeg_pipe";

    /** ffprobe's JSON description of an input's container and streams, read with the input whitelists. */
    public static List<String> probe(Path file) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-v", "error"));
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(List.of("-print_format", "json", "-show_format", "-show_streams", "file:" + file));
        return args;
    }

    /** The probe of an output: its streams, and its first frames decoded, to prove it decodes. */
    public static List<String> verify(Path file) {
        return List.of("-hide_banner", "-v", "error", "-protocol_whitelist", "file", "-format_whitelist",
                OUTPUT_DEMUXERS, "-print_format", "json", "-show_format", "-show_streams", "-show_frames",
                "-read_intervals", "%+#2", "file:" + file);
    }

    /**
     * Whether the preset's FFmpeg arguments depend on the input (a poster's time, a ladder's renditions, a bitrate
     * for a box a smaller source does not fill), so that the probe must run first; any other encode can start beside
     * its probe. The picture's size never needs it: {@link #scale} decides on FFmpeg's side, after autorotation.
     */
    public static boolean dependsOnInput(Preset preset) {
        return preset.isImage() || preset.isLadder() || scalesBitrate(preset.video());
    }

    /** A bitrate box that never enlarges may be filled only in part, so its bitrate follows the source's size. */
    private static boolean scalesBitrate(Preset.Video video) {
        return video != null && video.crf() == null && video.bitrate() != null && !video.enlarges();
    }

    /**
     * One FFmpeg run that writes everything the preset produces into {@code work}.
     *
     * @param info   the probe's findings; may be null where the preset does not {@linkplain #dependsOnInput depend} on them
     * @param policy what FFmpeg may read, and the bounds on what it writes
     */
    public static List<String> transcode(Path input, Path work, Preset preset, MediaInfo info, InputPolicy policy) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y",
                "-progress", "file:" + work.resolve(PROGRESS_FILE), "-stats_period", "0.5"));
        if (preset.isImage()) {
            double at = info.durationSeconds() == null ? 0
                    : info.durationSeconds() * (preset.at() == null ? DEFAULT_POSTER_AT : preset.at());
            args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", at)));
        }
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(policy.decoderLimits());
        args.addAll(List.of("-i", "file:" + input));
        if (!preset.keepsMetadata()) {
            // Titles, comments, GPS positions and chapter names of the input are the uploader's, not the output's.
            args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1"));
        }
        if (!preset.isImage()) {
            args.addAll(policy.outputLimits(!preset.isAudioOnly()));
        }
        if (preset.isAudioOnly()) {
            args.addAll(List.of("-map", "0:a:0", "-vn"));
            audio(args, preset, "");
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4"));
        } else if (preset.isImage()) {
            args.addAll(List.of("-map", "0:v:0", "-frames:v", "1", "-vf", scale(preset.video()),
                    "-c:v", "mjpeg", "-q:v", "3", "-f", "image2"));
        } else if (preset.isLadder()) {
            ladder(args, work, preset, info);
            return args;
        } else {
            args.addAll(List.of("-map", "0:v:0", "-map", "0:a:0?", "-vf", scale(preset.video())));
            Preset.Video v = preset.video();
            video(args, v, bitrate(v.bitrate(), v.width(), v.height(), v.enlarges(), info), "");
            audio(args, preset, "");
            if ("mp4".equals(preset.container())) {
                args.addAll(List.of("-movflags", "+faststart"));
            }
            args.addAll(List.of("-f", preset.container()));
        }
        args.add("file:" + work.resolve(preset.mainOutput()));
        return args;
    }

    /**
     * Renditions no taller than the source (the smallest one at the source's size when all are taller), encoded
     * in one run from one decode, with keyframes aligned on segment boundaries. Segments are fragmented MP4 (CMAF),
     * which HLS players and DASH players alike read, each rendition with its own initialisation file.
     */
    private static void ladder(List<String> args, Path work, Preset preset, MediaInfo info) {
        List<Preset.Rendition> renditions = renditions(preset, info);
        int segment = preset.segmentSeconds() == null ? DEFAULT_SEGMENT_SECONDS : preset.segmentSeconds();
        StringBuilder graph = new StringBuilder("[0:v]split=" + renditions.size());
        for (int i = 0; i < renditions.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < renditions.size(); i++) {
            Preset.Rendition r = renditions.get(i);
            graph.append(";[s").append(i).append(']')
                    .append(scale(new Preset.Video(null, null, null, null, r.width(), r.height(), false)))
                    .append("[v").append(i).append(']');
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(List.of("-map", "[v" + i + "]"));
            Preset.Rendition r = renditions.get(i);
            video(args, preset.video(), bitrate(r.bitrate(), r.width(), r.height(), false, info), ":" + i);
            streamMap.append(i == 0 ? "" : " ").append("v:").append(i);
            if (info.hasAudio()) {
                args.addAll(List.of("-map", "0:a:0"));
                streamMap.append(",a:").append(i);
            }
        }
        if (info.hasAudio()) {
            audio(args, preset, "");
        }
        args.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + segment + ")", "-sc_threshold", "0",
                "-f", "hls", "-hls_time", Integer.toString(segment), "-hls_playlist_type", "vod",
                "-hls_flags", "independent_segments", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", "init_%v.mp4",
                "-hls_segment_filename", "file:" + work.resolve("stream_%v_%03d.m4s"),
                "-master_pl_name", preset.mainOutput(), "-var_stream_map", streamMap.toString(),
                "file:" + work.resolve("stream_%v.m3u8")));
    }

    /**
     * The renditions a source gets: none is taller than the source, comparing short sides, as a portrait source
     * fits each rung turned.
     */
    public static List<Preset.Rendition> renditions(Preset preset, MediaInfo info) {
        Integer sourceShort = info.width() == null || info.height() == null ? null
                : Math.min(info.width(), info.height());
        List<Preset.Rendition> fitting = preset.renditions().stream()
                .filter(r -> sourceShort == null || Math.min(r.width(), r.height()) <= sourceShort).toList();
        if (!fitting.isEmpty()) {
            return fitting;
        }
        return List.of(preset.renditions().get(preset.renditions().size() - 1));
    }

    private static void video(List<String> args, Preset.Video video, String bitrate, String stream) {
        args.addAll(List.of("-c:v" + stream, video.codec()));
        if (video.crf() != null) {
            args.addAll(List.of("-crf:v" + stream, Integer.toString(video.crf())));
            if ("libvpx-vp9".equals(video.codec())) {
                args.addAll(List.of("-b:v" + stream, "0")); // constant quality mode
            }
        } else if (bitrate != null) {
            args.addAll(List.of("-b:v" + stream, bitrate));
        }
        if (video.speed() != null) {
            args.addAll(List.of("-preset:v" + stream, video.speed()));
        }
        switch (video.codec()) {
            case "libx265" -> args.addAll(List.of("-tag:v", "hvc1", "-x265-params", "log-level=error"));
            case "libvpx-vp9" -> args.addAll(List.of("-row-mt", "1", "-deadline", "good", "-cpu-used", "4"));
            case "libsvtav1" -> args.addAll(List.of("-preset:v" + stream, "8"));
            default -> { }
        }
        args.addAll(List.of("-pix_fmt:v" + stream, "yuv420p"));
    }

    private static void audio(List<String> args, Preset preset, String stream) {
        Preset.Audio audio = preset.audio();
        args.addAll(List.of("-c:a" + stream, audio.codec()));
        if (audio.bitrate() != null) {
            args.addAll(List.of("-b:a" + stream, audio.bitrate()));
        }
    }

    /**
     * Fits the picture in the box keeping its shape, both sides even; a smaller source keeps its size unless the
     * preset enlarges. The box is turned to the picture's orientation (a portrait clip on a 1280x720 box fits
     * 720x1280): FFmpeg's {@code iw}/{@code ih} are the picture as shown, after autorotation, so the expression
     * needs no probe.
     */
    static String scale(Preset.Video video) {
        int wide = Math.max(video.width(), video.height());
        int narrow = Math.min(video.width(), video.height());
        String w = "if(gt(ih,iw)," + narrow + "," + wide + ")";
        String h = "if(gt(ih,iw)," + wide + "," + narrow + ")";
        if (!video.enlarges()) {
            w = "min(" + w + ",iw)";
            h = "min(" + h + ",ih)";
        }
        return "scale=w='" + w + "':h='" + h + "':force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1";
    }

    /**
     * The bitrate of a picture fitted in a box: the given one when the picture fills the box (or the source is not
     * known), else that share of it by pixel count, so that a 720p output of a 1080p preset is not given 1080p's bits.
     */
    static String bitrate(String bitrate, int boxWidth, int boxHeight, boolean enlarges, MediaInfo info) {
        if (bitrate == null || enlarges || info == null || info.width() == null || info.height() == null) {
            return bitrate;
        }
        int[] size = fitted(boxWidth, boxHeight, info.width(), info.height());
        double share = (double) size[0] * size[1] / ((double) boxWidth * boxHeight);
        if (share >= FULL_BOX) {
            return bitrate;
        }
        long kilobits = bitrate.endsWith("M") ? Long.parseLong(bitrate.substring(0, bitrate.length() - 1)) * 1000
                : Long.parseLong(bitrate.substring(0, bitrate.length() - 1));
        return Math.max(MIN_VIDEO_KILOBITS, Math.round(kilobits * share)) + "k";
    }

    /** The size {@link #scale} gives a source of {@code width}x{@code height} (as shown) in a box it does not enlarge. */
    static int[] fitted(int boxWidth, int boxHeight, int width, int height) {
        boolean portrait = height > width;
        int w = Math.min(width, portrait ? Math.min(boxWidth, boxHeight) : Math.max(boxWidth, boxHeight));
        int h = Math.min(height, portrait ? Math.max(boxWidth, boxHeight) : Math.min(boxWidth, boxHeight));
        if ((long) w * height > (long) h * width) {
            w = (int) ((long) h * width / height);
        } else {
            h = (int) ((long) w * height / width);
        }
        return new int[] {w - w % 2, h - h % 2};
    }
}
