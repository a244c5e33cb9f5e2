package io.videotranscoder.job;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.Exchange;

/**
 * What becomes of a job whose attempt failed: cancelled, tried again, handed back, or failed with FFmpeg's own words
 * where it was FFmpeg that refused. What a stopped FFmpeg means is decided by who stopped it, never by its exit code:
 * a cancel, the watchdog, the JVM shutting down (the job goes back on the queue at once, see {@link JobInterrupted}),
 * or a signal from outside this service.
 */
class FailedAttempt {

    private final JobStore store;
    private final JobFiles files;
    private final EncodeWatcher watcher;
    private final ExecStages stages;
    private final ProbeVerdicts probes;
    private final AttemptEnds ends;
    private final Duration encodeTimeout;

    FailedAttempt(JobStore store, JobFiles files, EncodeWatcher watcher, ExecStages stages, ProbeVerdicts probes,
            AttemptEnds ends, Duration encodeTimeout) {
        this.store = store;
        this.files = files;
        this.watcher = watcher;
        this.stages = stages;
        this.probes = probes;
        this.ends = ends;
        this.encodeTimeout = encodeTimeout;
    }

    void judge(Exchange exchange, Job job) {
        JobStanding standing = store.standing(job.id());
        if (standing.status() == null) {
            ends.removedMeanwhile(job, Attempts.of(exchange)); // a late store found it gone: nothing to judge
            files.deleteAttempt(job.id(), Attempts.of(exchange));
            return;
        }
        Attempts.requireLease(exchange, job.id());
        EncodeWatcher.Stop stop = watcher.stopReason(EncodeWatcher.run(exchange, job.id())).orElse(null);
        if (stop == EncodeWatcher.Stop.CANCELLED || standing.mustStop()) {
            ends.cancelled(exchange, job);
            return;
        }
        // Before the probe's verdict is awaited: the watcher stopped the probe too.
        Optional<String> stopped = RetryPolicy.afterStop(stop);
        if (stopped.isPresent()) {
            ends.retry(exchange, job, stopped.get()); // returns only when a client's cancel came meanwhile
            return;
        }
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        JobInterrupted.ifStoppedByShutdown(exchange, stop, caught, "job " + job.id());
        Exception cause = probes.overrule(exchange, job).orElse(caught);
        String stderr = FailureClassifier.stderrOf(cause);
        // A stage that ran into its limit was stopped by this service for time (camel-exec's SIGTERM to an ffprobe),
        // never by a signal from outside, which would be worth another attempt.
        EncodeWatcher.Stop timed = stop == null && stages.ranOutOfTime(exchange) ? EncodeWatcher.Stop.TIMEOUT : stop;
        Optional<String> another = RetryPolicy.worthAnother("Job " + job.id(), timed, cause, stderr);
        if (another.isPresent()) {
            ends.retry(exchange, job, another.get());
            return;
        }
        FailureClassifier.Verdict verdict = FailureClassifier.classify(cause, stderr, ExecStages.stage(exchange),
                timed == EncodeWatcher.Stop.TIMEOUT, encodeTimeout, files.root().toString());
        ends.failed(exchange, job, verdict.category(), verdict.reason());
        files.deleteAttempt(job.id(), Attempts.of(exchange)); // its own: a retry's attempt may have begun already
    }
}
