package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.ffmpeg.FfmpegProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the progress of the jobs this worker is encoding: the progress route calls {@link #publish()} every
 * second, which turns each FFmpeg progress file into percent, speed, fps and ETA on the job.
 */
public class ProgressTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);

    private record Running(Path file, Double durationSeconds) {
    }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final JobStore store;

    public ProgressTracker(JobStore store) {
        this.store = store;
    }

    void start(String id, Path progressFile, Double durationSeconds) {
        running.put(id, new Running(progressFile, durationSeconds));
    }

    /** Stops publishing for a job; synchronized with {@link #publish()} so no report lands after the outcome. */
    synchronized void stop(String id) {
        running.remove(id);
    }

    public synchronized void publish() {
        running.forEach((id, job) -> {
            try {
                if (Files.exists(job.file())) {
                    FfmpegProgress.latest(job.file())
                            .ifPresent(report -> store.update(id, JobStore.progressFields(progress(report, job))));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("No progress for job {}: {}", id, e.getMessage());
            }
        });
    }

    private static Job.Progress progress(FfmpegProgress.Report report, Running job) {
        Double duration = job.durationSeconds();
        if (duration == null || duration <= 0) {
            return new Job.Progress(0, report.speed(), report.fps(), null);
        }
        int percent = (int) Math.min(99, Math.floor(report.outTimeSeconds() / duration * 100));
        Long eta = report.speed() == null || report.speed() <= 0 ? null
                : Math.round(Math.max(0, duration - report.outTimeSeconds()) / report.speed());
        return new Job.Progress(Math.max(0, percent), report.speed(), report.fps(), eta);
    }
}
