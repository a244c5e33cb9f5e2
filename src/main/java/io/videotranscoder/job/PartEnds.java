package io.videotranscoder.job;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a part of a split job ends when it does not end stored: the job is cancelled (every part's FFmpeg is stopped by
 * its worker's watcher, queued parts find the job over), handed back on shutdown (the part alone runs again,
 * elsewhere), tried again after the backoff for a reason another attempt may not meet (the {@link RetryPolicy} of a
 * whole job: a stall, a signal from outside, a full disk), or failed with the reason. A worker that dies mid-part
 * leaves its entry to the queue's lease, and the part is redone alone; past the attempts, the job fails. Whatever
 * ends the job removes its parts; a part still running when another failed the job is stopped, and changes nothing.
 */
class PartEnds {

    private static final Logger LOG = LoggerFactory.getLogger(PartEnds.class);

    private final JobStore store;
    private final JobFiles files;
    private final PartFiles parts;
    private final Storage storage;
    private final EncodeWatcher watcher;
    private final AttemptEnds ends;
    private final Duration encodeTimeout;
    private final RetryPolicy retries;
    private final AttemptFence fence;

    PartEnds(JobStore store, JobFiles files, PartFiles parts, Storage storage, EncodeWatcher watcher, AttemptEnds ends,
            Duration encodeTimeout, RetryPolicy retries) {
        this.store = store;
        this.files = files;
        this.parts = parts;
        this.storage = storage;
        this.watcher = watcher;
        this.ends = ends;
        this.encodeTimeout = encodeTimeout;
        this.retries = retries;
        this.fence = new AttemptFence(store);
    }

    void gaveUp(Exchange exchange, Job job, Part part) {
        long deliveries = exchange.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class);
        discardHeld(exchange, job);
        // The part's own last retry: the job's error may be another part's since.
        String error = store.field(job.id(), errorField(exchange, part)).orElse(null);
        String last = RetryPolicy.retryOf(error, label(part)) ? RetryPolicy.lastReason(error) : null;
        ends.failed(exchange, job, "gave_up", "Gave up on " + describe(part) + " after " + (deliveries - 1)
                + " attempts: " + (last != null ? "the last one: " + last : "each time, the worker running it"
                + " stopped before it finished (crash, kill or lost connection)."));
    }

    void cancelled(Exchange exchange, Job job) {
        discardHeld(exchange, job);
        ends.cancelled(exchange, job);
    }

    void judge(Exchange exchange, Job job, Part part) {
        Attempts.requireLease(exchange, job.id()); // taken over: the part is its new owner's to judge
        EncodeWatcher.Stop stop = watcher.stopReason(EncodeWatcher.run(exchange, job.id())).orElse(null);
        JobStanding standing = store.standing(job.id());
        if (stop == EncodeWatcher.Stop.CANCELLED || standing.mustStop()) {
            cancelled(exchange, job);
            return;
        }
        if (stop == EncodeWatcher.Stop.ENDED || standing.ended()) {
            // Another part failed the job while this one ran: its reason stands, and its parts are gone already.
            LOG.info("Job {}: {} stopped, the job having ended meanwhile", job.id(), describe(part));
            return;
        }
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        JobInterrupted.ifStoppedByShutdown(exchange, stop, caught, describe(part) + " of job " + job.id());
        if (FailureClassifier.failureIn(caught).filter(PartsGone.class::isInstance).isPresent()
            && ends.mayRerun(job)) {
            // What is left of the parts stays: the new run stores its own over them, and its end removes the folder
            // (a removal now, by a worker paused past its lease, could take the new run's).
            ends.rerun(exchange, job);
            return;
        }
        String stderr = FailureClassifier.stderrOf(caught);
        RetryPolicy.worthAnother(describe(part) + " of job " + job.id(), stop, caught, stderr)
                .ifPresent(reason -> retry(exchange, job, part, reason));
        FailureClassifier.Verdict verdict = FailureClassifier.classify(caught, stderr, ExecStages.stage(exchange),
                stop == EncodeWatcher.Stop.TIMEOUT, encodeTimeout, files.root().toString());
        discardHeld(exchange, job);
        ends.failed(exchange, job, verdict.category(), verdict.reason());
        files.deleteAttempt(job.id(), Attempts.of(exchange)); // its own: a retry's attempt may have begun already
    }

    /**
     * Puts the part alone back on the parts queue, for any worker after the backoff, while the others go on; the
     * job's error says why until it ends, and the part keeps its own reason (another part's retry may replace the
     * job's error) for the job's failure, should it run out of attempts.
     *
     * @throws JobRetry always, so that the queue entry waits for its delay (header {@code RETRY_DELAY})
     */
    private void retry(Exchange exchange, Job job, Part part, String reason) {
        RetryPolicy.Later later = retries.later(exchange, label(part), reason);
        fence.write(job.id(), Attempts.of(exchange), Map.of("error", later.error(),
                errorField(exchange, part), later.error()));
        throw later.delay(exchange);
    }

    /** The job's field that keeps a part's last retry reason: one per part of each split run. */
    static String errorField(Exchange exchange, Part part) {
        return "partError:" + exchange.getProperty(SegmentWorker.RUN, "", String.class) + ":" + part.fileName();
    }

    /**
     * A part stored for a run of the job that is no longer its run: if the job ended meanwhile, its parts go (this one
     * too); if it was split again (a retry), they are the new run's, left alone.
     */
    void stale(Job job, Part part) {
        if (store.ended(job.id())) {
            discard(job.id());
        } else {
            LOG.info("Job {}: {} belongs to an earlier run of the job; the parts are the new run's", job.id(),
                    describe(part));
        }
    }

    /**
     * The parts go, while the part's attempt still holds the job: a part of an earlier attempt (the job retried and
     * split anew) would remove the new run's.
     *
     * @throws AttemptLost when another attempt holds the job: nothing was removed
     */
    private void discardHeld(Exchange exchange, Job job) {
        fence.check(job.id(), Attempts.of(exchange));
        discard(job.id());
    }

    /** The job's stored parts, and whatever of them this worker holds, are removed. */
    void discard(String id) {
        parts.deleteParts(id);
        storage.deleteParts(id);
    }

    /** The part as a retry's error begins: "Segment 2", "Audio", "Join". */
    private static String label(Part part) {
        String what = describe(part);
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    private static String describe(Part part) {
        return part.kind() == Part.Kind.SEGMENT ? "segment " + (part.index() + 1)
                : part.kind().name().toLowerCase(Locale.ROOT);
    }
}
