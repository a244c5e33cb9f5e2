package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the encodes this worker runs, every second (the encode-watch route): publishes their progress (percent,
 * speed, fps, ETA) and stops an FFmpeg whose job was cancelled, whose progress stopped advancing, or which runs far
 * longer than its input lasts. FFmpeg is found among this JVM's child processes by its job's work folder.
 */
public class EncodeWatcher {

    /** Why the watcher stopped an encode. */
    public enum Stop { CANCELLED, STALLED, TOO_SLOW, LOST }

    private static final Logger LOG = LoggerFactory.getLogger(EncodeWatcher.class);

    private static final class Running {
        final String attempt;
        final Path workDir;
        volatile Double durationSeconds;
        final long startedAt;
        double outTime = -1;
        long advancedAt;

        Running(String attempt, Path workDir, Double durationSeconds, long now) {
            this.attempt = attempt;
            this.workDir = workDir;
            this.durationSeconds = durationSeconds;
            this.startedAt = now;
            this.advancedAt = now;
        }
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Stop> stopped = new ConcurrentHashMap<>();
    private final JobStore store;
    private final Duration stallTimeout;
    private final double maxSlowdown;
    private final Duration minLimit;

    /**
     * @param stallTimeout how long FFmpeg's media time may stand still
     * @param maxSlowdown  an encode may last this many times its input's duration (at least {@code minLimit})
     */
    public EncodeWatcher(JobStore store, Duration stallTimeout, double maxSlowdown, Duration minLimit) {
        this.store = store;
        this.stallTimeout = stallTimeout;
        this.maxSlowdown = maxSlowdown;
        this.minLimit = minLimit;
    }

    void start(String id, String attempt, Path workDir, Double durationSeconds) {
        running.put(id, new Running(attempt, workDir, durationSeconds, System.currentTimeMillis()));
    }

    /** The attempt lost its job to another worker: its FFmpeg is stopped at once. */
    void abandon(String id) {
        Running job = running.get(id);
        if (job != null) {
            kill(id, job, Stop.LOST);
        }
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
        stopped.remove(id);
    }

    /** Why the watcher stopped the job's FFmpeg, if it did (asked once, when the encode has ended). */
    Optional<Stop> stopReason(String id) {
        return Optional.ofNullable(stopped.remove(id));
    }

    public synchronized void watch() {
        long now = System.currentTimeMillis();
        running.forEach((id, job) -> {
            try {
                Path progress = job.workDir.resolve(FfmpegArguments.PROGRESS_FILE);
                if (Files.exists(progress)) {
                    FfmpegProgress.latest(progress).ifPresent(report -> {
                        if (report.outTimeSeconds() > job.outTime) {
                            job.outTime = report.outTimeSeconds();
                            job.advancedAt = now;
                        }
                        store.update(id, job.attempt, JobStore.progressFields(progress(report, job)));
                    });
                }
                if (store.status(id).map(status -> status == JobStatus.CANCELLED).orElse(true)) {
                    kill(id, job, Stop.CANCELLED);
                } else if (now - job.advancedAt > stallTimeout.toMillis()) {
                    kill(id, job, Stop.STALLED);
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

    private void kill(String id, Running job, Stop reason) {
        if (stopped.putIfAbsent(id, reason) != null) {
            return;
        }
        String marker = job.workDir.toString();
        long killed = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .peek(ProcessHandle::destroy).count();
        LOG.info("Stopped FFmpeg of job {} ({}): {} process(es)", id, reason, killed);
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
