package io.videotranscoder.ffmpeg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.videotranscoder.preset.Preset;

/** The argument lists handed to camel-exec: never a shell, never a string split on spaces. */
public final class FfmpegArguments {

    /** How long the muxer waits for a stream's next packet before it writes the others' (10 minutes). */
    static final Duration INTERLEAVE_WAIT = Duration.ofMinutes(10);

    /** Where FFmpeg reports progress (key=value blocks), inside the job's work folder. */
    public static final String PROGRESS_FILE = "progress.txt";
    private static final double DEFAULT_POSTER_AT = 0.1;
    /** The demuxers of what the presets write, for the verification of a job's own outputs. */
    private static final String OUTPUT_DEMUXERS = "mov,matroska,hls,mpegts,image2,jpeg_pipe";

    private FfmpegArguments() {
    }

    /**
     * Where and how often FFmpeg reports its progress (key=value blocks): {@link #PROGRESS_FILE} in {@code work}, every
     * {@code every}. Put before the arguments of {@link #transcode} and of {@link SegmentArguments}.
     */
    public static List<String> progress(Path work, Duration every) {
        return List.of("-progress", "file:" + work.resolve(PROGRESS_FILE), "-stats_period",
                String.format(Locale.ROOT, "%.3f", every.toMillis() / 1000.0));
    }

    /** ffprobe's JSON description of an input's container and streams, read with the input whitelists. */
    public static List<String> probe(Path file) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-v", "error"));
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(List.of("-print_format", "json", "-show_format", "-show_streams", "file:" + file));
        return args;
    }

    /**
     * The input read to its end, its first video and first audio streams (those it has) copied to nowhere (nothing is
     * decoded): the progress FFmpeg reports where {@link #progress} tells it (put before these, as for an encode,
     * which the worker watches the same way) ends at its last packet's time. For the inputs whose length the probe may
     * have guessed, or did not find ({@link MediaInfo#lengthGuessed}).
     */
    public static List<String> measure(Path file) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-nostats"));
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(List.of("-i", "file:" + file, "-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy", "-f", "null",
                "-"));
        return args;
    }

    /**
     * The probe of an output: its streams, and its first frames decoded, to prove it decodes: its first two packets,
     * or, where its video begins after its sound (a delay kept from the input), the sound's packets until then and a
     * quarter of a second of the video's (the first two alone were sound, and no video decoded). Where the picture
     * may have been written after ten minutes of sound ({@link OutputCheck#pictureAlone}), the video alone: its first
     * two packets, however far into the file.
     */
    public static List<String> verify(Path file, Preset preset, MediaInfo input) {
        double videoDelay = input.videoDelay();
        String first = videoDelay > 0 ? String.format(Locale.ROOT, "%%+%.3f", videoDelay + 0.25) : "%+#2";
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-v", "error", "-protocol_whitelist", "file",
                "-format_whitelist", OUTPUT_DEMUXERS, "-print_format", "json=compact=1"));
        if (OutputCheck.pictureAlone(preset, input)) {
            args.addAll(List.of("-select_streams", "v:0"));
        }
        // Of each frame decoded, its type only, a line each: a video that begins minutes after its sound decodes
        // thousands of sound frames first, whose whole descriptions (half a KiB each) ran past what a program's output
        // may be (BoundedExec); some 35 bytes each now, an hour and a half of sound.
        args.addAll(List.of("-show_format", "-show_streams", "-show_frames", "-show_entries", "frame=media_type",
                "-read_intervals", first, "file:" + file));
        return args;
    }

    /**
     * The probe of an output's sound ({@link SoundCheck.Read}): the time of each of its first audio stream's packets,
     * one a line, nothing decoded.
     */
    public static List<String> soundEnd(SoundCheck.Read read) {
        return List.of("-hide_banner", "-v", "error", "-protocol_whitelist", "file,concat", "-format_whitelist",
                OUTPUT_DEMUXERS, "-select_streams", "a:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0",
                read.source());
    }

    /**
     * Whether the preset's FFmpeg arguments depend on the input (a poster's time, a ladder's renditions, a bitrate
     * for a box a smaller source does not fill), so that the probe must run first; any other encode can start beside
     * its probe. The picture's size never needs it: {@link PictureFit#scale} decides on FFmpeg's side, after autorotation.
     */
    public static boolean dependsOnInput(Preset preset) {
        return preset.isImage() || preset.isLadder() || scalesBitrate(preset.video());
    }

    /**
     * Where a poster is taken, in the input's time: the preset's fraction of the video's own length from its first
     * frame, at the start of the frame shown then (FFmpeg's seek drops the frames that begin before it: a still picture
     * with a song has one frame, and a poster a tenth into the song, or into its frame, was none); a fraction of the
     * file's length where the video's is unknown.
     */
    static double posterAt(Preset preset, MediaInfo info) {
        double fraction = preset.at() == null ? DEFAULT_POSTER_AT : preset.at();
        if (info.videoSeconds() != null) {
            double at = info.videoSeconds() * fraction;
            Double rate = info.frameRate();
            return info.videoDelay() + (rate == null || rate <= 0 ? at : Math.floor(at * rate + 1e-6) / rate);
        }
        return info.durationSeconds() == null ? 0 : info.durationSeconds() * fraction;
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
    public static List<String> transcode(Path input, Path work, Preset preset, MediaInfo info, InputPolicy policy,
            CodecThreads threads) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-y"));
        if (preset.isImage()) {
            // In whole milliseconds, rounded down: rounded up, 0.96763 s was 0.968, after the frame that begins then.
            double at = Math.floor(posterAt(preset, info) * 1000 + 1e-6) / 1000;
            args.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", at)));
        }
        args.addAll(InputPolicy.readOnlyTheFile());
        args.addAll(policy.decoderLimits());
        args.addAll(threads.input(input));
        if (!preset.keepsMetadata()) {
            // Titles, comments, GPS positions and chapter names of the input are the uploader's, not the output's.
            args.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1"));
        }
        if (!preset.isImage()) {
            args.addAll(policy.outputLimits(!preset.isAudioOnly()));
        }
        if (preset.isAudioOnly()) {
            args.addAll(List.of("-map", "0:a:0", "-vn"));
            args.addAll(EncoderArguments.audio(preset.audio()));
            args.addAll(List.of("-movflags", "+faststart", "-f", "mp4"));
        } else if (preset.isImage()) {
            args.addAll(List.of("-map", "0:V:0", "-frames:v", "1", "-vf", PictureFit.scale(preset.video()),
                    "-c:v", "mjpeg", "-q:v", "3", "-f", "image2"));
        } else if (preset.isLadder()) {
            args.addAll(HlsLadder.arguments(work, preset, info, policy.frameCap()));
            return args;
        } else {
            args.addAll(List.of("-map", "0:V:0", "-map", "0:a:0?", "-vf",
                    policy.frameCap() + PictureFit.scale(preset.video())));
            Preset.Video v = preset.video();
            args.addAll(EncoderArguments.video(v, PictureFit.bitrate(v.bitrate(), v.width(), v.height(), v.enlarges(),
                    info), ""));
            args.addAll(EncoderArguments.audio(preset.audio()));
            if ("mp4".equals(preset.container())) {
                args.addAll(List.of("-movflags", "+faststart"));
            }
            // Packets in the order of their times, though the encoder gives the picture's up to 10 minutes late: a
            // still picture's one frame came after a second of sound, and the verification's look at the first
            // packets saw no picture. Not without a bound (0): a sound that ends early had the whole picture held.
            args.addAll(List.of("-max_interleave_delta", Long.toString(INTERLEAVE_WAIT.toNanos() / 1000), "-f",
                    preset.container()));
        }
        args.add("file:" + work.resolve(preset.mainOutput()));
        return args;
    }
}
