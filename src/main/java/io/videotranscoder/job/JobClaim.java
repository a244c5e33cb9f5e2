package io.videotranscoder.job;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.queue.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the job a queue entry names, unless it is gone, already over, out of attempts or cancelled meanwhile: begins
 * an attempt on it (a token that fences its writes, a fresh work folder) and plans its probe.
 */
class JobClaim {

    private static final Logger LOG = LoggerFactory.getLogger(JobClaim.class);

    private final JobStore store;
    private final JobTransitions moves;
    private final JobFiles files;
    private final EncodeWatcher watcher;
    private final InputAcceptance inputs;
    private final AttemptEnds ends;
    private final Clock clock;
    private final SplitPlan split;

    JobClaim(JobStore store, JobTransitions moves, JobFiles files, EncodeWatcher watcher, InputAcceptance inputs,
            AttemptEnds ends, Clock clock, SplitPlan split) {
        this.split = split;
        this.store = store;
        this.moves = moves;
        this.files = files;
        this.watcher = watcher;
        this.inputs = inputs;
        this.ends = ends;
        this.clock = clock;
    }

    /** The id of the job the exchange's queue entry names (not checked: it may name no job). */
    static String jobId(Exchange exchange) {
        return String.valueOf(exchange.getIn().getBody(Map.class).get("job"));
    }

    /**
     * The job runs from another queue entry, which keeps it: this one is dropped. (Housekeeping's requeue of a job
     * queued again at the same moment by a client's retry makes such a duplicate.)
     */
    private static void duplicate(String id, String entry, String running) {
        LOG.warn("Queue entry {} names job {}, which runs from {}: a duplicate, dropped", entry, id, running);
    }

    /** @return whether an attempt began: the job is to be run */
    boolean claim(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        String id = jobId(exchange);
        long deliveries = in.getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class);
        Job job = store.find(id).orElse(null);
        if (job == null) {
            LOG.warn("Queue entry names job {}, which does not exist: dropped", id);
            return false;
        }
        if (job.status().terminal()) {
            LOG.info("Job {} is already {}: not run again", id, job.status().value());
            return false;
        }
        String entry = in.getHeader(RedisStreamConstants.ENTRY_ID, "", String.class);
        String running = store.field(id, JobTransitions.ENTRY).orElse("");
        if (!running.isEmpty() && !running.equals(entry)) {
            duplicate(id, entry, "entry " + running); // before its deliveries count: a duplicate never fails the job
            return false;
        }
        String run = String.valueOf(in.getBody(Map.class).getOrDefault(JobTransitions.RUN, ""));
        if (!run.equals(store.field(id, JobTransitions.RUN).orElse(""))) {
            LOG.info("Queue entry {} names job {} as it was before a retry: dropped", entry, id);
            return false;
        }
        if (job.segments() != null) {
            // Its worker died after the split, before acknowledging this entry: the parts carry the job, whatever this
            // entry's deliveries (BEGIN refuses it too, should the split come between this read and the begin).
            LOG.info("Queue entry {} names job {}, which runs as parts already: dropped", entry, id);
            return false;
        }
        exchange.setProperty(JobSubmitter.JOB, job);
        if (store.standing(id).mustStop()) { // a cancel asked of a worker that stopped before it could act on it
            ends.cancelled(exchange, job);
            return false;
        }
        if (in.getHeader(RedisStreamConstants.EXHAUSTED, false, Boolean.class)) {
            ends.gaveUp(exchange, job, entry, run, "Gave up after " + (deliveries - 1) + " attempts: "
                    + RetryPolicy.lastRetry(job.error()).map(reason -> "the last one: " + reason)
                            .orElse("each time, the worker running the job stopped before it finished (crash, kill or"
                                    + " lost connection)."));
            return false;
        }
        String attempt = Attempts.token();
        Optional<String> refused = moves.begin(id, attempt, in.getHeader(RedisStreamConstants.CONSUMER, "",
                String.class), deliveries, clock.instant(), entry, run);
        if (refused.isPresent()) { // changed under us: cancelled, or begun from another entry a moment ago
            if (JobTransitions.OTHER_ENTRY.equals(refused.get())) {
                duplicate(id, entry, "another entry, begun a moment ago");
            } else if (JobTransitions.SPLIT.equals(refused.get())) {
                LOG.info("Queue entry {} names job {}, which runs as parts already: dropped", entry, id);
            } else if (JobTransitions.TAKEN_OVER.equals(refused.get())) {
                // Never acknowledged here: left to the worker that took it over, or, should this worker still own it
                // (its delivery count lost by Redis), delivered again until a delivery counts past the job's attempts.
                LOG.warn("Queue entry {} of job {} was delivered again while this worker waited (its delivery {} here):"
                         + " the job is another worker's now", entry, id, deliveries);
                throw new AttemptLost(id, attempt);
            }
            return false;
        }
        exchange.setProperty(Attempts.PROPERTY, attempt);
        Attempts.stopWhenLost(exchange, () -> watcher.abandon(id, attempt));
        files.freshWorkDir(id, attempt);
        // A missing encoder is refused after the probe, as before, rather than here, outside the route's doTry.
        // So does a job that may be split: its input's duration decides. An audio file's length may be the probe's
        // guess, measured before the encode (MediaInfo.lengthGuessed): the verification compares the output with it.
        // (A Matroska input, which may state no length at all, is told by its first bytes once it is here: Matroska.)
        exchange.setProperty(JobWorker.PROBE_FIRST, FfmpegArguments.dependsOnInput(job.preset())
                || job.preset().isAudioOnly()
                || !inputs.missingEncoders(job.preset()).isEmpty()
                || split.mayApply(job, store.splitAllowed(id)));
        return true;
    }
}
