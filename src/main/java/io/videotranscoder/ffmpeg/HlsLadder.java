package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.videotranscoder.preset.Preset;

/**
 * A ladder preset's encode: renditions no taller than the source (the smallest one at the source's size when all are
 * taller), encoded in one run from one decode, with keyframes aligned on segment boundaries. Segments are fragmented
 * MP4 (CMAF), which HLS players and DASH players alike read, each rendition with its own initialisation file.
 */
final class HlsLadder {

    private static final int DEFAULT_SEGMENT_SECONDS = 4;

    private HlsLadder() {
    }

    /** FFmpeg's output arguments of the ladder, after its input: the renditions, the playlists and their segments. */
    static List<String> arguments(Path work, Preset preset, MediaInfo info) {
        List<Preset.Rendition> renditions = renditions(preset, info);
        int segment = preset.segmentSeconds() == null ? DEFAULT_SEGMENT_SECONDS : preset.segmentSeconds();
        StringBuilder graph = new StringBuilder("[0:v]split=" + renditions.size());
        for (int i = 0; i < renditions.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < renditions.size(); i++) {
            Preset.Rendition r = renditions.get(i);
            graph.append(";[s").append(i).append(']')
                    .append(PictureFit.scale(new Preset.Video(null, null, null, null, r.width(), r.height(), false)))
                    .append("[v").append(i).append(']');
        }
        List<String> args = new ArrayList<>(List.of("-filter_complex", graph.toString()));
        StringBuilder streamMap = new StringBuilder();
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(List.of("-map", "[v" + i + "]"));
            Preset.Rendition r = renditions.get(i);
            args.addAll(EncoderArguments.video(preset.video(),
                    PictureFit.bitrate(r.bitrate(), r.width(), r.height(), false, info), ":" + i));
            streamMap.append(i == 0 ? "" : " ").append("v:").append(i);
            if (info.hasAudio()) {
                args.addAll(List.of("-map", "0:a:0"));
                streamMap.append(",a:").append(i);
            }
        }
        if (info.hasAudio()) {
            args.addAll(EncoderArguments.audio(preset.audio()));
        }
        args.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + segment + ")", "-sc_threshold", "0",
                "-f", "hls", "-hls_time", Integer.toString(segment), "-hls_playlist_type", "vod",
                "-hls_flags", "independent_segments", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", "init_%v.mp4",
                "-hls_segment_filename", "file:" + work.resolve("stream_%v_%03d.m4s"),
                "-master_pl_name", preset.mainOutput(), "-var_stream_map", streamMap.toString(),
                "file:" + work.resolve("stream_%v.m3u8")));
        return args;
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
