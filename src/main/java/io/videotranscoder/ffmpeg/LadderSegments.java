package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.videotranscoder.preset.Preset;

/**
 * A ladder preset's split job (see {@link SegmentArguments}): each segment is every rendition of its stretch of the
 * input, from one decode as {@link HlsLadder} has it, in one MP4 file of one video stream per rendition; the join
 * copies each rendition's segments one after the other, muxes the audio in each, and packages the HLS output as the
 * single pass writes it. A segment begins on an HLS segment's boundary (see the SplitPlan), so the keyframes of the
 * joined renditions are where a single pass forces them: at the first frame at or after each HLS segment duration.
 */
final class LadderSegments {

    private LadderSegments() {
    }

    /** The output arguments of a segment's encode, after its input; {@code frames} picks and times its frames. */
    static List<String> segment(String frames, Preset preset, MediaInfo info, SegmentSpan span) {
        List<Preset.Rendition> renditions = HlsLadder.renditions(preset, info);
        List<String> args = new ArrayList<>(List.of("-filter_complex",
                HlsLadder.graph(frames + ",", renditions)));
        String keyframes = keyframes(preset, info, span);
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(HlsLadder.encoder(preset, info, renditions.get(i), i));
            if (!keyframes.isEmpty()) {
                // Given once for every stream, FFmpeg 6.1 forces the list's later times in the first stream only.
                args.addAll(List.of("-force_key_frames:v:" + i, keyframes));
            }
        }
        args.addAll(List.of("-sc_threshold", "0"));
        return args;
    }

    /**
     * The times, in the segment's own time, just before the frames that begin its HLS segments after its first:
     * the first frame at or after each multiple of the HLS segment duration on the output's timeline.
     */
    static String keyframes(Preset preset, MediaInfo info, SegmentSpan span) {
        FrameGrid grid = FrameGrid.of(info.frameRate(), 0);
        int hls = preset.hlsSegmentSeconds();
        long first = grid.frameAt(span.at());
        long end = first + Math.round(span.seconds() * grid.rate());
        List<String> times = new ArrayList<>();
        for (int k = 1; ; k++) {
            long frame = grid.frameAt(span.at() + k * hls);
            if (frame >= end) {
                break;
            }
            times.add(String.format(Locale.ROOT, "%.6f", grid.cutBefore(frame, first)));
        }
        return times.stream().collect(Collectors.joining(","));
    }

    /**
     * The join's output arguments, after its inputs (the segments' concat list, then the audio, if any): every
     * rendition and the audio copied, packaged as {@link HlsLadder} packages a single pass.
     */
    static List<String> join(Path work, Preset preset, MediaInfo info, boolean audio) {
        List<Preset.Rendition> renditions = HlsLadder.renditions(preset, info);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(List.of("-map", "0:v:" + i));
            if (audio) {
                args.addAll(List.of("-map", "1:a:0"));
            }
        }
        args.addAll(List.of("-c", "copy", "-map_metadata", "-1"));
        // The master playlist's BANDWIDTH comes from each stream's bitrate: a single pass has its encoders' settings
        // there, a copy what the demuxer measured. Set as a single pass has them, the master playlist is the same.
        Preset.Video video = preset.video();
        for (int i = 0; i < renditions.size(); i++) {
            args.addAll(List.of("-b:v:" + i, video.crf() != null ? "0" : HlsLadder.bitrate(info, renditions.get(i))));
        }
        if (audio && preset.audio().bitrate() != null) {
            args.addAll(List.of("-b:a", preset.audio().bitrate()));
        }
        args.addAll(HlsLadder.packaging(work, preset, renditions.size(), audio));
        return args;
    }
}
