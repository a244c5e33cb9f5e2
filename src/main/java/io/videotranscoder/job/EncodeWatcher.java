package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.process.JvmShutdown;
import io.videotranscoder.ffmpeg.FfmpegProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the encodes this worker runs, every second (the encode-watch route): publishes their progress (percent,
 * speed, fps, ETA) and stops an FFmpeg whose job was cancelled, whose progress stopped advancing, which runs far
 * longer than its input lasts or than the encode timeout, or whose input the probe beside it refused. FFmpeg (and the
 * probe beside it) are found among this JVM's child processes by their job's folder, which both name.
 *
 * <p>A stop is a SIGTERM, sent again every second, then a SIGKILL once the grace has passed: FFmpeg checks for
 * SIGTERM only between frames, and a single huge frame or filter step can keep it busy for hours. Whether this service
 * sent the signal decides what a stopped FFmpeg means, never its exit code (FFmpeg exits 255 on its own errors too).
 */
public class EncodeWatcher {

    /** Why the watcher stopped an encode. */
    public enum Stop { CANCELLED, STALLED, TOO_SLOW, TIMEOUT, REFUSED, LOST }

    private static final Logger LOG = LoggerFactory.getLogger(EncodeWatcher.class);
    private static final class Running {
        final String attempt;
        final Path progressFile;
        /** In the command line of every program of the job (its folder), and of this attempt's encode only. */
        final String marker;
        final String attemptMarker;
        volatile Double durationSeconds;
        final long startedAt;
        double outTime = -1;
        long advancedAt;

        Running(String attempt, Path jobDir, Path workDir, Double durationSeconds, long now) {
            this.attempt = attempt;
            this.progressFile = workDir.resolve(FfmpegArguments.PROGRESS_FILE);
            this.marker = jobDir + "/";
            this.attemptMarker = workDir + "/";
            this.durationSeconds = durationSeconds;
            this.startedAt = now;
            this.advancedAt = now;
        }
    }

    /** A stop: why, when its first signal went, and whether it came to SIGKILL. */
    private static final class Stopping {
        final Stop reason;
        final long since = System.currentTimeMillis();
        boolean forced;

        Stopping(Stop reason) {
            this.reason = reason;
        }
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Stopping> stopped = new ConcurrentHashMap<>();
    private final JobStore store;
    private final Duration stallTimeout;
    private final double maxSlowdown;
    private final Duration minLimit;
    private final Duration encodeTimeout;
    private final Duration grace;

    /**
     * @param stallTimeout  how long FFmpeg's media time may stand still
     * @param maxSlowdown   an encode may last this many times its input's duration (at least {@code minLimit})
     * @param encodeTimeout how long any encode may last
     * @param grace         how long a stopped FFmpeg has to exit on SIGTERM before it gets SIGKILL
     */
    public EncodeWatcher(JobStore store, Duration stallTimeout, double maxSlowdown, Duration minLimit,
            Duration encodeTimeout, Duration grace) {
        this.store = store;
        this.stallTimeout = stallTimeout;
        this.maxSlowdown = maxSlowdown;
        this.minLimit = minLimit;
        this.encodeTimeout = encodeTimeout;
        this.grace = grace;
    }

    /**
     * @param attempt the attempt's token: its progress writes are refused once another attempt holds the job
     * @param jobDir  the job's folder: every program run for the job names a file inside it
     * @param workDir the attempt's folder, where FFmpeg writes and reports its progress
     */
    void start(String id, String attempt, Path jobDir, Path workDir, Double durationSeconds) {
        running.put(id, new Running(attempt, jobDir, workDir, durationSeconds, System.currentTimeMillis()));
    }

    /** The attempt lost its job to another worker: its FFmpeg is stopped at once. */
    void abandon(String id) {
        stopNow(id, Stop.LOST);
    }

    /** The longest a program run by this watcher's worker takes to exit once stopped. */
    public Duration grace() {
        return grace;
    }

    /** The input's duration, once a probe run beside the encode has found it. */
    void duration(String id, Double durationSeconds) {
        Running job = running.get(id);
        if (job != null) {
            job.durationSeconds = durationSeconds;
        }
    }

    /** Stops watching a job; synchronized with {@link #watch()} so no report lands after the outcome. */
    synchronized void stop(String id) {
        running.remove(id);
    }

    /** Forgets the job once its exchange is over, stopped or not. */
    void forget(String id) {
        stopped.remove(id);
    }

    /** Why the watcher stopped the job's FFmpeg, if it did. */
    Optional<Stop> stopReason(String id) {
        return Optional.ofNullable(stopped.get(id)).map(stopping -> stopping.reason);
    }

    /** Whether the JVM is shutting down, which stops every program it started. */
    static boolean shuttingDown() {
        return JvmShutdown.started();
    }

    /** Stops the job's programs now, for {@code reason}; the watch repeats the signal until they are gone. */
    synchronized void stopNow(String id, Stop reason) {
        Running job = running.get(id);
        if (job != null) {
            kill(id, job, reason);
        }
    }

    public synchronized void watch() {
        long now = System.currentTimeMillis();
        running.forEach((id, job) -> {
            try {
                if (stopped.containsKey(id)) {
                    kill(id, job, stopped.get(id).reason); // again, until it is gone
                    return;
                }
                if (Files.exists(job.progressFile)) {
                    FfmpegProgress.latest(job.progressFile).ifPresent(report -> {
                        if (report.outTimeSeconds() > job.outTime) {
                            job.outTime = report.outTimeSeconds();
                            job.advancedAt = now;
                        }
                        store.progress(id, job.attempt, JobHash.progressFields(progress(report, job)));
                    });
                }
                if (store.mustStop(id)) {
                    kill(id, job, Stop.CANCELLED);
                } else if (now - job.advancedAt > stallTimeout.toMillis()) {
                    kill(id, job, Stop.STALLED);
                } else if (now - job.startedAt > encodeTimeout.toMillis()) {
                    kill(id, job, Stop.TIMEOUT);
                } else if (now - job.startedAt > limit(job).toMillis()) {
                    kill(id, job, Stop.TOO_SLOW);
                }
            } catch (AttemptLost e) {
                kill(id, job, Stop.LOST); // another worker began the job: this encode is of no use any more
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not watch job {}: {}", id, e.getMessage());
            }
        });
    }

    /** How long an encode may run: a multiple of the input's duration, never less than the minimum. */
    Duration limit(Running job) {
        if (job.durationSeconds == null) {
            return Duration.ofDays(365); // unknown length: only the stall watchdog and the overall timeout apply
        }
        Duration proportional = Duration.ofMillis((long) (job.durationSeconds * maxSlowdown * 1000));
        return proportional.compareTo(minLimit) > 0 ? proportional : minLimit;
    }

    /** SIGTERM to every program of the job, SIGKILL to those still there once the grace has passed. */
    private void kill(String id, Running job, Stop reason) {
        Stopping stopping = stopped.get(id);
        if (stopping == null) {
            stopping = new Stopping(reason);
            stopped.put(id, stopping);
            LOG.info("Stopping the programs of job {} ({}): SIGTERM, then SIGKILL after {} s", id, reason,
                    grace.toSeconds());
        }
        boolean force = System.currentTimeMillis() - stopping.since >= grace.toMillis();
        // A lost attempt stops only its own encode: the attempt that holds the job may run in this JVM too.
        String marker = stopping.reason == Stop.LOST ? job.attemptMarker : job.marker;
        long signalled = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .peek(p -> {
                    if (force) {
                        p.destroyForcibly();
                    } else {
                        p.destroy();
                    }
                }).count();
        if (force && signalled > 0 && !stopping.forced) {
            stopping.forced = true;
            LOG.warn("Job {}: {} process(es) still running {} s after SIGTERM: SIGKILL", id, signalled,
                    grace.toSeconds());
        }
    }

    private static Job.Progress progress(FfmpegProgress.Report report, Running job) {
        Double duration = job.durationSeconds;
        if (duration == null || duration <= 0) {
            return new Job.Progress(0, report.speed(), report.fps(), null);
        }
        int percent = (int) Math.min(99, Math.floor(report.outTimeSeconds() / duration * 100));
        Long eta = report.speed() == null || report.speed() <= 0 ? null
                : Math.round(Math.max(0, duration - report.outTimeSeconds()) / report.speed());
        return new Job.Progress(Math.max(0, percent), report.speed(), report.fps(), eta);
    }
}
