package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import io.videotranscoder.preset.Preset;

/**
 * The FFmpeg runs of a split job: one per video segment, one for the audio over the whole input, and the join (a
 * ladder's segments and join are {@link LadderSegments}'). A segment's frames are picked by their own timestamps
 * ({@code -copyts}, half a frame inside its bounds, by the {@code trim} filter), after a coarse seek to a keyframe
 * before it, so that every source frame lands in exactly one segment whatever FFmpeg's seek does; each segment is its
 * own encode, so it begins with a keyframe, and the join copies the streams. Segments and audio are MP4 whatever the
 * output's container (a WebM output's VP9 and Opus too): the join copies them into it.
 */
public final class SegmentArguments {

    /** How far before a segment the coarse seek lands: it then goes back to the keyframe before that. */
    private static final double SEEK_MARGIN = 1.0;

    private SegmentArguments() {
    }

    /** @param info the probe's findings: a bitrate for a box a smaller source does not fill, a ladder's renditions */
    public static List<String> segment(Path input, Path work, String name, Preset preset, MediaInfo info,
            SegmentSpan span, InputPolicy policy, CodecThreads threads) {
        List<String> args = start();
        double seek = Math.max(0, span.from() - SEEK_MARGIN);
        // -seek_timestamp: the seek is to that timestamp, as trim's bounds are, not offset by the input's start time.
        args.addAll(List.of("-ss", seconds(seek), "-seek_timestamp", "1", "-noaccurate_seek", "-copyts"));
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(policy.decoderLimits());
        args.addAll(threads.input(input));
        args.addAll(List.of("-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"));
        // trim ends the stream at the segment's end, and FFmpeg stops reading there; the last segment, which has no
        // end, takes no more frames than any output of an accepted input has, as a single pass takes.
        String frames = policy.frameCap() + "trim=start=" + seconds(span.from())
                + (span.to() == null ? "" : ":end=" + seconds(span.to())) + "," + fromPlannedStart(info, span);
        if (preset.isLadder()) {
            args.addAll(LadderSegments.segment(frames, preset, info, span));
        } else {
            args.addAll(List.of("-map", "0:V:0", "-vf", frames + "," + PictureFit.scale(preset.video())));
            Preset.Video v = preset.video();
            args.addAll(EncoderArguments.video(v, PictureFit.bitrate(v.bitrate(), v.width(), v.height(), v.enlarges(),
                    info), ""));
        }
        args.addAll(List.of("-fps_mode", "passthrough", "-t", Long.toString(policy.maxDurationSeconds())));
        args.addAll(List.of("-f", "mp4", "file:" + work.resolve(name)));
        return args;
    }

    /**
     * The segment's frames timed from its first frame, or from where its first frame was due if the input's video has
     * a gap there (no frame for a while): the join places each segment at its planned start, so the gap stays where
     * it was, as a single pass keeps it. A first frame early by the jitter of a variable frame rate begins at 0.
     * Without the input's frame rate (never so for a split the plan made), from its first frame.
     */
    private static String fromPlannedStart(MediaInfo info, SegmentSpan span) {
        if (info == null || info.frameRate() == null) {
            return "setpts=PTS-STARTPTS";
        }
        FrameGrid grid = FrameGrid.of(info);
        return "setpts=PTS-STARTPTS+max(0\\,STARTPTS-" + seconds(grid.time(grid.frameAt(span.at()))) + "/TB)";
    }

    /** The audio of the whole input, in one pass: per-segment AAC would leave a gap of priming samples at each join. */
    public static List<String> audio(Path input, Path work, String name, Preset preset, InputPolicy policy,
            CodecThreads threads) {
        List<String> args = start();
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(threads.input(input));
        args.addAll(List.of("-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1", "-t",
                Long.toString(policy.maxDurationSeconds())));
        args.addAll(EncoderArguments.audio(preset.audio()));
        args.addAll(List.of("-f", "mp4", "file:" + work.resolve(name)));
        return args;
    }

    /**
     * The segments, listed in {@code list} (FFmpeg's concat format), copied one after the other, with the audio muxed
     * in where there is one: the preset's output, or a ladder's playlists and their segments.
     */
    public static List<String> join(Path list, Path audio, Path work, Preset preset, MediaInfo info) {
        List<String> args = start();
        // The audio keeps its time, counted from the input's start as a single pass counts it; the segments, which
        // begin at the video's first frame, are moved by the video's delay after that start.
        args.addAll(List.of("-copyts", "-itsoffset", seconds(info.videoDelay())));
        args.addAll(List.of("-protocol_whitelist", "file", "-f", "concat", "-safe", "0", "-i", "file:" + list));
        if (audio != null) {
            args.addAll(List.of("-protocol_whitelist", "file", "-i", "file:" + audio));
        }
        if (preset.isLadder()) {
            args.addAll(LadderSegments.join(work, preset, info, audio != null));
            return args;
        }
        args.addAll(List.of("-map", "0:v:0"));
        if (audio != null) {
            args.addAll(List.of("-map", "1:a:0"));
        }
        args.addAll(List.of("-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1"));
        if ("mp4".equals(preset.container())) {
            args.addAll(List.of("-movflags", "+faststart"));
        }
        args.addAll(List.of("-f", preset.container(), "file:" + work.resolve(preset.mainOutput())));
        return args;
    }

    /**
     * FFmpeg's concat list of the segment files, in order, each placed at its planned start: its own time kept from 0
     * ({@code inpoint}), the next one after its planned length ({@code duration}), whatever its frames' times. A split
     * planned before its segment length was stored ({@code seconds} null) has each file begin where the last one ends.
     * A segment in whose time no frame fell ({@code pictureless}: a gap in the picture longer than a segment, as a
     * still screen's recording has) is left out, its time given to the one before, whose last frame is shown through
     * it as a single pass shows it: the concat demuxer ends at a file without a stream, and drops what follows.
     *
     * @param seconds the planned length of each segment but the last
     */
    public static String concatList(List<Path> segments, List<Double> seconds, Predicate<Path> pictureless) {
        List<Path> files = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Double length = seconds == null || i == segments.size() - 1 ? null : seconds.get(i);
            if (!files.isEmpty() && pictureless.test(segments.get(i))) {
                Double before = lengths.get(lengths.size() - 1);
                lengths.set(lengths.size() - 1, before == null || length == null ? null : before + length);
            } else {
                files.add(segments.get(i));
                lengths.add(length);
            }
        }
        StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
        for (int i = 0; i < files.size(); i++) {
            list.append("file '").append(files.get(i).toString().replace("'", "'\\''")).append("'\n");
            if (seconds != null) {
                list.append("inpoint 0\n");
                if (lengths.get(i) != null) {
                    list.append("duration ").append(seconds(lengths.get(i))).append('\n');
                }
            }
        }
        return list.toString();
    }

    private static List<String> start() {
        return new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y"));
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }
}
