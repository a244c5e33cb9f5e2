package io.videotranscoder.job;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.ffmpeg.Matroska;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;

/**
 * The steps of the worker route, one method each: take the job ({@link JobClaim}), ready each program it runs
 * ({@link ExecStages}), weigh the probe ({@link ProbeVerdicts}), verify and publish the outputs ({@link Publication}),
 * judge a failure ({@link FailedAttempt}); the outcome each stores is left for the steps that follow.
 */
public class JobWorker {

    /** Whether an attempt began on the job: the route runs it. */
    public static final String RUNNABLE = "transcoderRunnable";
    /** The {@link Outcome} this exchange stored, for the steps that follow an outcome. */
    public static final String OUTCOME = "transcoderOutcome";
    /** Whether the route runs the probe before the encode (see {@link FfmpegArguments#dependsOnInput}). */
    public static final String PROBE_FIRST = "transcoderProbeFirst";
    /** Whether the probed job is split into parts (see {@link SplitPlan}) rather than encoded here. */
    public static final String SPLIT = "transcoderSplit";

    private final JobFiles files;
    private final ScratchCopies copies;
    private final EncodeWatcher watcher;
    private final JobClaim claim;
    private final ExecStages stages;
    private final ProbeVerdicts probes;
    private final Publication publication;
    private final FailedAttempt failures;
    private final AtomicInteger running = new AtomicInteger();
    private final JobSplits splits;

    /**
     * @param retryBackoff the wait before a second attempt; it doubles with each further one
     * @param policy       what FFmpeg may read, and the limits of an input
     * @param sandbox      how FFmpeg and ffprobe are started
     * @param copies       where this worker reads inputs and encodes: the data root, or its scratch folder when the
     *                     storage is an object store
     * @param split        which jobs are split into segments
     */
    public JobWorker(JobStore store, ScratchCopies copies, Storage storage, FfmpegTools ffmpeg, EncodeWatcher watcher,
            Duration encodeTimeout, Duration retryBackoff, Clock clock, InputPolicy policy,
            FfmpegSandbox sandbox, SplitPlan split) {
        this.copies = copies;
        this.files = copies.files();
        this.splits = new JobSplits(store, split, new SegmentLedger(store), files);
        this.watcher = watcher;
        AttemptFence fence = new AttemptFence(store);
        InputAcceptance inputs = new InputAcceptance(policy, ffmpeg.encoders());
        JobTransitions moves = new JobTransitions(store);
        AttemptEnds ends = new AttemptEnds(moves, files, storage, clock, new RetryPolicy(retryBackoff));
        this.claim = new JobClaim(store, moves, files, watcher, inputs, ends, clock, split);
        this.stages = new ExecStages(ffmpeg, sandbox, files, policy, encodeTimeout, watcher);
        this.probes = new ProbeVerdicts(fence, inputs, watcher);
        this.publication = new Publication(store, fence, files, stages, probes, ends, storage);
        this.failures = new FailedAttempt(store, files, watcher, stages, probes, ends, encodeTimeout);
    }

    /**
     * Marks the job running, unless it is gone, already over, or out of attempts; then tells the route whether the
     * probe runs first, or beside the encode where the encode does not depend on it.
     */
    public void begin(Exchange exchange) throws IOException {
        String id = JobClaim.jobId(exchange);
        copies.hold(id); // before the claim makes the attempt's folder: no other run's sweep may take it
        boolean runnable = false;
        try {
            runnable = claim.claim(exchange);
        } finally {
            exchange.setProperty(RUNNABLE, runnable);
            if (runnable) {
                running.incrementAndGet();
            } else {
                copies.release(id);
            }
        }
    }

    /** Whether the probe runs first: as the claim decided, or for a {@link Matroska} input, now that it is here. */
    public boolean probeFirst(Exchange exchange) {
        Job job = job(exchange);
        return exchange.getProperty(PROBE_FIRST, false, Boolean.class)
               || Matroska.is(files.jobDir(job.id()).resolve(job.inputFile()));
    }

    /** Readies the probe of the job's input. */
    public void readyProbe(Exchange exchange) {
        stages.probe(exchange, job(exchange));
    }

    /** Readies the encode, watched from now on, with the probe's findings where the probe ran first. */
    public void readyEncode(Exchange exchange) {
        Job job = job(exchange);
        MediaInfo info = ProbeVerdicts.input(exchange);
        watcher.start(job.id(), Attempts.of(exchange), files.jobDir(job.id()),
                files.workDir(job.id(), Attempts.of(exchange)), info == null ? null : info.durationSeconds());
        stages.encode(exchange, job, info);
    }

    /** The probe beside the encode has ended (see {@link ProbeVerdicts#beside}). */
    public void probedBeside(Exchange beside) {
        probes.beside(beside, job(beside));
    }

    /** Reads the probe that ran first, and refuses inputs the preset cannot use; a guessed length is measured first. */
    public void probed(Exchange exchange) throws IOException {
        Job job = job(exchange);
        stages.probed(exchange, job);
        if (probes.first(exchange, job)) {
            splits.plan(exchange, job);
        }
    }

    /** Readies the reading of the job's input to its end, which measures its length. */
    public void readyMeasure(Exchange exchange) {
        stages.measure(exchange, job(exchange));
    }

    /** Takes the input's measured length, then goes on as {@link #probed} does. */
    public void measured(Exchange exchange) throws IOException {
        Job job = job(exchange);
        probes.measured(exchange, job, stages.measured(exchange, job));
        splits.plan(exchange, job);
    }

    /**
     * Queues the job's parts, once per run of the job; the job stays running, held by this attempt, until its join
     * ends it.
     */
    public void split(Exchange exchange) {
        splits.split(exchange, job(exchange));
    }

    /** The encode is over: takes the verdict of a probe run beside it, then readies the probe of the main output. */
    public void encoded(Exchange exchange) throws Exception {
        Job job = job(exchange);
        watcher.stop(EncodeWatcher.run(exchange, job.id()));
        publication.encoded(exchange, job);
    }

    /** Before each output goes into the object store: a client's cancel stops the storing. */
    public void storing(Exchange exchange) {
        publication.storing(job(exchange));
    }

    /** Checks the outputs against the preset, then readies their sound's probe or their storing (see Publication). */
    public void verified(Exchange exchange) throws IOException {
        publication.verified(exchange, job(exchange));
    }

    /** The main output's sound reaches its end: leaves the outputs for the storage step. */
    public void soundVerified(Exchange exchange) throws IOException {
        publication.soundVerified(exchange, job(exchange));
    }

    /** Moves the outputs into place under the local data root. */
    public void moveOutputs(Exchange exchange) throws IOException {
        publication.moveOutputs(exchange, job(exchange));
    }

    /** Every output is stored: records success. */
    public void published(Exchange exchange) {
        publication.published(exchange, job(exchange));
    }

    /** Records why the job failed, or puts it back on the queue (see {@link FailedAttempt}). */
    public void failed(Exchange exchange) {
        failures.judge(exchange, job(exchange));
    }

    /** Whatever happened, this worker stops watching the job's encode, and lets go of its copies. */
    public void finished(Exchange exchange) {
        Job job = job(exchange);
        if (job != null) {
            String run = EncodeWatcher.run(exchange, job.id());
            watcher.stop(run);
            watcher.forget(run);
        }
        if (exchange.getProperty(RUNNABLE, false, Boolean.class)) {
            running.decrementAndGet();
            copies.release(job.id());
        }
    }

    /** How many jobs this process is running now. */
    public AtomicInteger running() {
        return running;
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty(JobSubmitter.JOB, Job.class);
    }
}
