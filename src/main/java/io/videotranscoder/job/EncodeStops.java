package io.videotranscoder.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encodes the watcher stopped, and the signals a stop takes: SIGTERM to every program of the job, sent again on
 * each watch until they are gone, then SIGKILL once the grace has passed. FFmpeg checks for SIGTERM only between
 * frames, and a single huge frame or filter step can keep it busy for hours.
 */
final class EncodeStops {

    private static final Logger LOG = LoggerFactory.getLogger(EncodeStops.class);

    /** A stop: why, when its first signal went, and whether it came to SIGKILL. */
    private static final class Stopping {
        final EncodeWatcher.Stop reason;
        final long since = EncodeWatcher.now();
        boolean forced;

        Stopping(EncodeWatcher.Stop reason) {
            this.reason = reason;
        }
    }

    private final Map<String, Stopping> stopped = new ConcurrentHashMap<>();
    private final Duration grace;

    /** @param grace how long a stopped FFmpeg has to exit on SIGTERM before it gets SIGKILL */
    EncodeStops(Duration grace) {
        this.grace = grace;
    }

    Duration grace() {
        return grace;
    }

    /** Why the run's programs were stopped, if they were. */
    Optional<EncodeWatcher.Stop> reason(String run) {
        return Optional.ofNullable(stopped.get(run)).map(stopping -> stopping.reason);
    }

    void forget(String run) {
        stopped.remove(run);
    }

    /**
     * Signals the programs of the run (a {@link EncodeWatcher#jobRun} or a {@link EncodeWatcher#partRun}), for
     * {@code reason} unless it was stopped before (the first reason stays).
     */
    void signal(String run, WatchedEncode job, EncodeWatcher.Stop reason) {
        Stopping stopping = stopped.computeIfAbsent(run, first -> {
            LOG.info("Stopping the programs of job {}{} ({}): SIGTERM, then SIGKILL after {} s", job.job,
                    job.what, reason, grace.toSeconds());
            return new Stopping(reason);
        });
        boolean force = EncodeWatcher.now() - stopping.since >= grace.toMillis();
        // A lost attempt stops only its own encode: the attempt that holds the job may run in this JVM too.
        String marker = stopping.reason == EncodeWatcher.Stop.LOST ? job.attemptMarker : job.jobMarker;
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
            LOG.warn("Job {}: {} process(es) still running {} s after SIGTERM: SIGKILL", job.job, signalled,
                    grace.toSeconds());
        }
    }
}
