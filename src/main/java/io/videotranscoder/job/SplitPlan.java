package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.preset.Preset;

/**
 * Whether a job is split, and into which parts: inputs at least {@code minSeconds} long, with a video preset of one
 * MP4 output, unless the job turned splitting off. Segments are a whole number of frames long, as near
 * {@code segmentSeconds} as the frame rate allows; their bounds lie half a frame before their first frame, so that
 * rounding never moves a frame across one.
 *
 * @param minSeconds     inputs at least this long are split; 0 turns splitting off
 * @param segmentSeconds the length of a segment
 */
public record SplitPlan(double minSeconds, double segmentSeconds) {

    /** Whether the job's preset could be split at all, before its input is probed. */
    public boolean mayApply(Job job, boolean splitAllowed) {
        Preset preset = job.preset();
        return splitAllowed && minSeconds > 0 && segmentSeconds > 0 && !preset.isImage() && !preset.isLadder()
                && !preset.isAudioOnly() && preset.video() != null && "mp4".equals(preset.container());
    }

    /** The job's parts, the segments first then the audio (if any); empty when the job runs as one. */
    public List<Part> parts(Job job, boolean splitAllowed, MediaInfo info) {
        if (!mayApply(job, splitAllowed) || info == null || !info.hasVideo() || info.durationSeconds() == null
                || info.frameRate() == null || info.frameRate() <= 0 || info.durationSeconds() < minSeconds) {
            return List.of();
        }
        double rate = info.frameRate();
        double duration = info.durationSeconds();
        long framesPerSegment = Math.max(1, Math.round(segmentSeconds * rate));
        long totalFrames = Math.round(duration * rate);
        int count = (int) Math.max(1, (totalFrames + framesPerSegment - 1) / framesPerSegment);
        if (count < 2) {
            return List.of();
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double from = i == 0 ? 0 : (i * framesPerSegment - 0.5) / rate;
            Double to = i == count - 1 ? null : ((i + 1) * framesPerSegment - 0.5) / rate;
            double seconds = (to == null ? duration : to) - from;
            parts.add(new Part(job.id(), Part.Kind.SEGMENT, i, from, to, seconds));
        }
        if (info.hasAudio()) {
            parts.add(new Part(job.id(), Part.Kind.AUDIO, 0, 0, null, 0));
        }
        return parts;
    }
}
