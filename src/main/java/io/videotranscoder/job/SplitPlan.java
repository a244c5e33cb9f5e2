package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;

import io.videotranscoder.ffmpeg.FrameGrid;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.OutputCheck;
import io.videotranscoder.preset.Preset;

/**
 * Whether a job is split, and into which parts: inputs at least {@code minSeconds} long, with a video preset of one
 * MP4 output or an HLS ladder, unless the job turned splitting off. Segment {@code i} begins at the first frame at or
 * after {@code i} segment lengths past the video's first frame (where a single pass of a ladder forces a keyframe),
 * so segments are whole frames; their bounds lie half a frame before their first frame, so that rounding never moves
 * a frame across one.
 * <p>
 * A ladder's segment length is the nearest whole multiple of its HLS segment duration, at least one (30 s with 6 s HLS
 * segments stays 30 s; 3 s with 2 s becomes 4 s, 5 s with 6 s becomes 6 s): every segment then begins on an HLS
 * segment's boundary, and the HLS segments of the joined renditions keep their duration.
 *
 * @param minSeconds     inputs at least this long are split; 0 turns splitting off
 * @param segmentSeconds the length of a segment
 */
public record SplitPlan(double minSeconds, double segmentSeconds) {

    /** Whether the job's preset could be split at all, before its input is probed. */
    public boolean mayApply(Job job, boolean splitAllowed) {
        Preset preset = job.preset();
        return splitAllowed && minSeconds > 0 && segmentSeconds > 0 && splits(preset);
    }

    /**
     * The presets whose encode is split. The sound alone is not: audio is encoded in one pass over the whole input
     * anyway (per-segment AAC leaves a gap of priming samples at each join), and it encodes many times faster than
     * real time, so segments would only add their queueing and a join. A poster is one frame. WebM with VP9 is
     * (see SegmentArguments): VP9 segments begin with a keyframe as H.264 ones do, and Opus is encoded once like AAC;
     * VP8 is not, as its segments would be MP4 files, which cannot carry it. Nor is a preset that keeps the input's
     * metadata: the parts are encoded without it, and the join would have none to keep.
     */
    private static boolean splits(Preset preset) {
        return preset.video() != null && !preset.keepsMetadata() && (preset.isLadder()
                || "mp4".equals(preset.container())
                || "webm".equals(preset.container()) && "libvpx-vp9".equals(preset.video().codec()));
    }

    /**
     * The fewest frames a second, on average, of a video that is split. The join places each segment on a grid of
     * the average frame's length, which a variable frame rate's frames do not keep to: a frame may move by up to half
     * of it (50 ms at 10 frames a second, under what an eye tells apart from its sound; seconds for a slideshow).
     * Counted over the whole input: a still picture with a song has one frame, and all its segments but the first
     * would be empty.
     */
    static final double MIN_FRAME_RATE = 10;

    /**
     * The job's parts, the segments first then the audio (if any); empty when the job runs as one. A ladder whose
     * sound outlasts its picture by more than half a second runs as one: its single pass holds the picture until the
     * sound ends, its segments would not, and a player would stop with the picture (the verification's tolerance, a
     * twentieth of a long input, would not tell). Less is an encoder's padding.
     */
    public List<Part> parts(Job job, boolean splitAllowed, MediaInfo info) {
        if (!mayApply(job, splitAllowed) || info == null || !info.hasVideo() || info.durationSeconds() == null
                || info.frameRate() == null || info.framesPerInputSecond() < MIN_FRAME_RATE
                || job.preset().isLadder() && info.soundAfterPicture() > OutputCheck.MIN_TOLERANCE_SECONDS
                || info.durationSeconds() < minSeconds
                || !seeksByIndex(info.format())) {
            return List.of();
        }
        double length = length(job.preset());
        FrameGrid grid = FrameGrid.of(info);
        long totalFrames = Math.round(info.durationSeconds() * grid.rate());
        int count = 0;
        while (grid.frameAt(count * length) < totalFrames) {
            count++;
        }
        // A tail shorter than half a segment (or a duration that ends just past the last frame) joins the one before.
        if (count > 1 && totalFrames - grid.frameAt((count - 1) * length) < grid.frameAt(length) / 2) {
            count--;
        }
        if (count < 2) {
            return List.of();
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long first = grid.frameAt(i * length);
            long end = i == count - 1 ? totalFrames : grid.frameAt((i + 1) * length);
            double from = i == 0 ? 0 : grid.cutBefore(first);
            Double to = i == count - 1 ? null : grid.cutBefore(end);
            parts.add(new Part(job.id(), Part.Kind.SEGMENT, i, from, to, (end - first) / grid.rate(),
                    i * length));
        }
        if (info.hasAudio()) {
            parts.add(new Part(job.id(), Part.Kind.AUDIO, 0, 0, null, 0));
        }
        return parts;
    }

    /**
     * The planned length of each segment of {@code length} but the last, as {@link #parts} plans them: what the join
     * places them by (the last one's own length does not matter there).
     */
    static List<Double> plannedSeconds(MediaInfo info, double length, int count) {
        FrameGrid grid = FrameGrid.of(info);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < count - 1; i++) {
            seconds.add((grid.frameAt((i + 1) * length) - grid.frameAt(i * length)) / grid.rate());
        }
        return seconds;
    }

    /**
     * Whether a segment's seek into the input lands on a keyframe before it: in MP4 (and MOV) and Matroska (and WebM),
     * whose index names the keyframes. In an MPEG transport or program stream, or a raw one, FFmpeg's seek lands on a
     * keyframe after it, a GOP's frames of each segment were lost, and the output was short of them. Such inputs run
     * as one encode.
     */
    static boolean seeksByIndex(String format) {
        return format != null && (format.startsWith("mov,mp4,") || format.startsWith("matroska,webm"));
    }

    /** The length of the preset's segments, in seconds. */
    double length(Preset preset) {
        if (!preset.isLadder()) {
            return segmentSeconds;
        }
        int hls = preset.hlsSegmentSeconds();
        return hls * Math.max(1, Math.round(segmentSeconds / hls));
    }
}
