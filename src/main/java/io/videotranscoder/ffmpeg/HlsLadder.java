package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.preset.Preset;

/**
 * A ladder preset's encode: renditions no taller than the source (the smallest one at the source's size when all are
 * taller), encoded in one run from one decode, with keyframes aligned on segment boundaries. Segments are fragmented
 * MP4 (CMAF), which HLS players and DASH players alike read, each rendition with its own initialisation file. A split
 * job's segments are encoded and packaged by {@link LadderSegments} with the same pieces.
 */
final class HlsLadder {

    /** The encoders whose rate a ladder caps ({@code -maxrate}, {@code -bufsize}). */
    private static final Set<String> RATE_CAPPED = Set.of("libx264", "libx265");

    private HlsLadder() {
    }

    /**
     * FFmpeg's output arguments of the ladder, after its input: the renditions, the playlists and their segments.
     *
     * @param head the filters every rendition's picture goes through first, ending with a comma
     */
    static List<String> arguments(Path work, Preset preset, MediaInfo info, String head) {
        List<Preset.Rendition> renditions = renditions(preset, info);
        List<String> args = new ArrayList<>(List.of("-filter_complex", graph(head + hold(info), renditions)));
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(encoder(preset, info, renditions.get(i), i));
            if (info.hasAudio()) {
                args.addAll(List.of("-map", "0:a:0"));
            }
        }
        if (info.hasAudio()) {
            args.addAll(EncoderArguments.audio(preset.audio()));
        }
        args.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + preset.hlsSegmentSeconds() + ")",
                "-sc_threshold", "0"));
        args.addAll(packaging(work, preset, renditions.size(), info.hasAudio()));
        return args;
    }

    /**
     * The filters that hold the picture's last frame until the sound ends, ending with a comma, or "" where the sound
     * ends with the picture, within the verification's least tolerance. Each rendition's playlist lasts as long as its
     * picture: a still picture with a song made one playlist of 0.04 s, its whole song in one segment. A picture of
     * one frame is held once a second, not at its stream's nominal rate: its renditions would encode 25 copies of it a
     * second. A picture of more frames keeps its rate: a second of motion stays motion.
     */
    static String hold(MediaInfo info) {
        if (info.soundAfterPicture() <= OutputCheck.MIN_TOLERANCE_SECONDS) {
            return "";
        }
        // The rate after the padding: a one-frame stream through fps=1 first came out without a frame.
        return String.format(Locale.ROOT, "tpad=stop_mode=clone:stop_duration=%.3f,", info.soundAfterPicture())
                + (info.onePicture() ? "fps=1," : "");
    }

    /**
     * The filter graph: the input's video, through {@code head} (filters ending with a comma, or "") and
     * {@link PictureFit#PREPARED}, split into one scaled picture per rendition, {@code [v0]}, {@code [v1]}...
     */
    static String graph(String head, List<Preset.Rendition> renditions) {
        StringBuilder graph = new StringBuilder("[0:V]" + head + PictureFit.PREPARED + ",split="
                + renditions.size());
        for (int i = 0; i < renditions.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < renditions.size(); i++) {
            Preset.Rendition r = renditions.get(i);
            graph.append(";[s").append(i).append(']')
                    .append(PictureFit.fit(new Preset.Video(null, null, null, null, r.width(), r.height(), false)))
                    .append("[v").append(i).append(']');
        }
        return graph.toString();
    }

    /**
     * The {@code i}th rendition's picture, mapped and encoded at its bitrate, and at most at that rate over a buffer
     * of one second: a player picks a rendition by the bandwidth the master playlist declares for it, which a busy
     * scene would otherwise exceed many times over (x264's average bitrate, unbounded, put a 720p rendition declared at
     * 3.4 Mb/s at 32 Mb/s for the six seconds of a noisy scene after a calm one). x264 and x265 cap the rate so (their
     * VBV); SVT-AV1 refuses a cap outside its constant quality mode, and its ladder keeps its average.
     */
    static List<String> encoder(Preset preset, MediaInfo info, Preset.Rendition rendition, int i) {
        List<String> args = new ArrayList<>(List.of("-map", "[v" + i + "]"));
        String bitrate = bitrate(info, rendition);
        args.addAll(EncoderArguments.video(preset.video(), bitrate, ":" + i));
        if (preset.video().crf() == null && bitrate != null && RATE_CAPPED.contains(preset.video().codec())) {
            args.addAll(List.of("-maxrate:v:" + i, bitrate, "-bufsize:v:" + i, bitrate));
        }
        return args;
    }

    /** A rendition's bitrate: its share for a source smaller than its box. */
    static String bitrate(MediaInfo info, Preset.Rendition rendition) {
        return PictureFit.bitrate(rendition.bitrate(), rendition.width(), rendition.height(), false, info);
    }

    /**
     * The HLS muxer's arguments: each rendition (video stream {@code v:i}, with audio stream {@code a:i} where there
     * is sound) cut into fMP4 segments at the keyframes that follow each segment duration, its playlist, and the
     * master playlist that lists them all.
     */
    static List<String> packaging(Path work, Preset preset, int renditions, boolean audio) {
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < renditions; i++) {
            streamMap.append(i == 0 ? "" : " ").append("v:").append(i).append(audio ? ",a:" + i : "");
        }
        // FFmpeg names the initialisation file by its variant only where there are several: one would be named, and
        // its playlist would point at, "init_%v.mp4", which is no URL.
        return List.of("-f", "hls", "-hls_time", Integer.toString(preset.hlsSegmentSeconds()),
                "-hls_playlist_type", "vod", "-hls_flags", "independent_segments", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", renditions == 1 ? "init_0.mp4" : "init_%v.mp4",
                "-hls_segment_filename", "file:" + work.resolve("stream_%v_%03d.m4s"),
                "-master_pl_name", preset.mainOutput(), "-var_stream_map", streamMap.toString(),
                "file:" + work.resolve("stream_%v.m3u8"));
    }

    /**
     * The renditions a source gets: none is taller than the source, comparing short sides, as a portrait source
     * fits each rung turned.
     */
    static List<Preset.Rendition> renditions(Preset preset, MediaInfo info) {
        Integer sourceShort = info.width() == null || info.height() == null ? null
                : Math.min(info.width(), info.height());
        List<Preset.Rendition> fitting = preset.renditions().stream()
                .filter(r -> sourceShort == null || Math.min(r.width(), r.height()) <= sourceShort).toList();
        if (!fitting.isEmpty()) {
            return fitting;
        }
        return List.of(preset.renditions().get(preset.renditions().size() - 1));
    }
}
