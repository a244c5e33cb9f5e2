package io.videotranscoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegProgress;

/**
 * One encode the watcher follows: the attempt it belongs to, where FFmpeg reports its progress, how far its media time
 * got and when that last advanced. Its programs are found among this JVM's children by the folders they name.
 */
final class WatchedEncode {

    /** The job it is a run of: whole, or one of its parts. */
    final String job;
    final String attempt;
    final Path progressFile;
    /** In the command line of every program of the run: the job's folder, or a part's own. */
    final String jobMarker;
    /** In the command line of this attempt's encode only: its work folder. */
    final String attemptMarker;
    final long startedAt;
    /** Whether its progress is the job's: a split job's parts each cover only a share of it (see {@link SegmentLedger}). */
    final boolean publishes;
    /** What of the job it is, for the log: "" for its encode, else beginning with a comma. */
    final String what;
    /** Whether the stall, time and slowness limits apply: not to a probe, which a cancel alone stops. */
    final boolean limited;
    private volatile Double durationSeconds;
    private double outTime = -1;
    private long advancedAt;
    /** When its media time last advanced (or the encode started): the CPU's evidence counts only so long after it. */
    private long mediaAdvancedAt;
    /** How the run's files looked ({@link #noteFiles}) while the media time stood still; null when they were gone. */
    private long[] filesLook;
    /** When {@link #filesLook} was taken; -1: not since. */
    private long filesNotedAt = -1;
    /** When the CPU time of the run's programs was last read while the media time stood still; -1: not since. */
    private long cpuReadAt = -1;
    private long cpuMillis;

    WatchedEncode(String job, String attempt, Path jobDir, Path workDir, Double durationSeconds, long now) {
        this(job, attempt, jobDir, workDir, workDir, durationSeconds, now, true, "", true);
    }

    /** The probe of a job's input that runs before its encode: stopped by a cancel only. */
    static WatchedEncode probe(String job, String attempt, Path jobDir, Path workDir, long now) {
        return new WatchedEncode(job, attempt, jobDir, workDir, workDir, null, now, false, ", its input's probe",
                false);
    }

    /** The measure of a job's input: its programs name the job's folder, and its progress is not the job's. */
    static WatchedEncode measure(String job, String attempt, Path jobDir, Path workDir, long now) {
        return new WatchedEncode(job, attempt, jobDir, workDir, workDir, null, now, false, ", its input's measure",
                true);
    }

    /**
     * A part of a split job, or its join: whatever stops it, its programs are those that name its own folder (a join
     * reports its progress where it writes the job's outputs, which another join of the job, after a lost lease, may
     * write too).
     */
    static WatchedEncode part(String job, String attempt, Path folder, Path progressDir, Double seconds, long now) {
        return new WatchedEncode(job, attempt, folder, folder, progressDir, seconds, now, false,
                ", part in " + folder + "/", true);
    }

    private WatchedEncode(String job, String attempt, Path jobDir, Path attemptDir, Path progressDir,
            Double durationSeconds, long now, boolean publishes, String what, boolean limited) {
        this.job = job;
        this.limited = limited;
        this.what = what;
        this.publishes = publishes;
        this.attempt = attempt;
        this.progressFile = progressDir.resolve(FfmpegArguments.PROGRESS_FILE);
        this.jobMarker = jobDir + "/";
        this.attemptMarker = attemptDir + "/";
        this.durationSeconds = durationSeconds;
        this.startedAt = now;
        this.advancedAt = now;
        this.mediaAdvancedAt = now;
    }

    /** The input's duration, null while unknown (a probe beside the encode may find it later). */
    Double durationSeconds() {
        return durationSeconds;
    }

    void durationSeconds(Double seconds) {
        this.durationSeconds = seconds;
    }

    /** When FFmpeg's media time last advanced (or the encode started), on {@link EncodeWatcher#now}'s clock. */
    long advancedAt() {
        return advancedAt;
    }

    /**
     * Notes, once, how the run's files look (their newest time and their bytes): the media time has stood still for a
     * while, and {@link #writes} compares them later.
     */
    void noteFiles(long now) {
        if (filesNotedAt < 0) {
            filesLook = filesLook();
            filesNotedAt = now;
        }
    }

    /**
     * Whether FFmpeg wrote to the run's folder since {@link #noteFiles} though its media time stood still: it finishes
     * its outputs (moves an MP4's index to the front, which rewrites the file). The progress file does not count:
     * FFmpeg writes it even while stuck. The files' times are only compared with each other, never with this host's
     * clock: on a shared data root they are the file server's. A write found counts as an advance at {@code now}. A
     * note younger than {@code settle} (taken by this very look, after a watch held up) cannot tell yet: it counts as
     * a write, without an advance, so that the next look judges.
     */
    boolean writes(long now, long settle) {
        if (filesNotedAt < 0 || now - filesNotedAt < settle) {
            return true;
        }
        long[] look = filesLook();
        boolean wrote = filesLook != null && look != null && !Arrays.equals(look, filesLook);
        if (wrote) {
            advanced(now);
        }
        return wrote;
    }

    /** The newest modification time and the bytes of the run's files but the progress file; null when gone. */
    private long[] filesLook() {
        long newest = Long.MIN_VALUE;
        long bytes = 0;
        try (Stream<Path> files = Files.walk(progressFile.getParent(), 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.equals(progressFile) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    newest = Math.max(newest, Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis());
                    bytes += Files.size(file);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null; // gone: nothing is written there
        }
        return new long[] {newest, bytes};
    }

    /**
     * Notes, once, the CPU time the run's programs have used by {@code now}: the media time has stood still for a
     * while, and {@link #works} compares it with theirs later.
     */
    void noteCpu(long now) {
        if (cpuReadAt < 0) {
            cpuMillis = cpuMillis();
            cpuReadAt = now;
        }
    }

    /**
     * Whether the run's programs used the CPU (a twentieth of the time, at least) since {@link #noteCpu}, though their
     * media time stood still: FFmpeg decoding a long way before its first frame (from a key frame far before a
     * segment's start, or through a long damaged stretch). Stuck or frozen, it uses none. A use found counts as an
     * advance; a run never noted shows none, and neither does one whose media time stood still for longer than
     * {@code longest}: FFmpeg spinning in a loop on a crafted file uses the CPU too, and would hold it until the
     * encode's timeout, hours later.
     */
    boolean works(long now, long longest) {
        if (cpuReadAt < 0 || now <= cpuReadAt || now - mediaAdvancedAt > longest) {
            return false;
        }
        long used = cpuMillis() - cpuMillis;
        boolean works = used * 20 >= now - cpuReadAt;
        if (works) {
            advanced(now);
        }
        return works;
    }

    private void advanced(long at) {
        advancedAt = Math.max(advancedAt, at);
        cpuReadAt = -1;
        filesNotedAt = -1;
    }

    /** The CPU time the run's programs (those naming its folder) have used, in milliseconds. */
    private long cpuMillis() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(jobMarker))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum();
    }

    /** Takes FFmpeg's latest report at {@code now}: notes whether its media time advanced; the progress to show. */
    Job.Progress report(FfmpegProgress.Report report, long now) {
        if (report.outTimeSeconds() > outTime) {
            outTime = report.outTimeSeconds();
            mediaAdvancedAt = now;
            advanced(now);
        }
        Double duration = durationSeconds;
        if (duration == null || duration <= 0) {
            return new Job.Progress(0, report.speed(), report.fps(), null);
        }
        int percent = (int) Math.min(99, Math.floor(report.outTimeSeconds() / duration * 100));
        Long eta = report.speed() == null || report.speed() <= 0 ? null
                : Math.round(Math.max(0, duration - report.outTimeSeconds()) / report.speed());
        return new Job.Progress(Math.max(0, percent), report.speed(), report.fps(), eta);
    }
}
