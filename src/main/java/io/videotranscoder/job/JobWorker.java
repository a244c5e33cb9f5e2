package io.videotranscoder.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.OutputCheck;
import io.videotranscoder.queue.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the worker route, one method per step: take the job, probe its input, encode it, verify and
 * publish the outputs, record the outcome. Each step that runs a program leaves camel-exec's headers ready for the
 * next {@code exec:} call.
 */
public class JobWorker {

    public static final String RUNNABLE = "transcoderRunnable";
    /** The token of this attempt, stored on the job when it began: every write of the attempt is checked against it. */
    static final String ATTEMPT = "transcoderAttempt";
    /** The {@link Outcome} this exchange stored, for the steps that follow an outcome. */
    public static final String OUTCOME = "transcoderOutcome";
    private static final String ENCODE_SECONDS = "transcoderEncodeSeconds";
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
    private static final String STAGE = "transcoderStage";
    static final String STAGE_STARTED = "transcoderStageStarted";
    private static final String INPUT = "transcoderInput";
    /** Whether the route runs the probe before the encode (see {@link FfmpegArguments#dependsOnInput}). */
    public static final String PROBE_FIRST = "transcoderProbeFirst";
    /** The {@link ProbeBeside} verdict of the probe run beside the encode, until it is weighed. */
    static final String PROBE_BESIDE = "transcoderProbeBeside";
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    /** Java's exit value of a process that a signal ended is 128 + the signal's number. */
    private static final int KILLED_BY_SIGNAL = 128;

    private final JobStore store;
    private final JobTransitions moves;
    private final AttemptFence fence;
    private final InputAcceptance inputs;
    private final JobFiles files;
    private final FfmpegTools ffmpeg;
    private final EncodeWatcher watcher;
    private final Duration retryBackoff;
    private final Duration encodeTimeout;
    private final Clock clock;
    private final InputPolicy policy;
    private final FfmpegSandbox sandbox;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param retryBackoff the wait before a second attempt; it doubles with each further one
     * @param policy       what FFmpeg may read, and the limits of an input
     * @param sandbox      how FFmpeg and ffprobe are started
     */
    public JobWorker(JobStore store, JobFiles files, FfmpegTools ffmpeg, EncodeWatcher watcher,
            Duration encodeTimeout, Duration retryBackoff, Clock clock, InputPolicy policy,
            FfmpegSandbox sandbox) {
        this.store = store;
        this.moves = new JobTransitions(store);
        this.fence = new AttemptFence(store);
        this.inputs = new InputAcceptance(policy, ffmpeg.encoders());
        this.files = files;
        this.ffmpeg = ffmpeg;
        this.watcher = watcher;
        this.retryBackoff = retryBackoff;
        this.encodeTimeout = encodeTimeout;
        this.clock = clock;
        this.policy = policy;
        this.sandbox = sandbox;
    }

    /**
     * Marks the job running, unless it is gone, already over, or out of attempts; then readies the probe, or starts it
     * and readies the encode where the encode does not depend on it.
     */
    public void begin(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        String id = String.valueOf(in.getBody(Map.class).get("job"));
        long deliveries = in.getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class);
        exchange.setProperty(RUNNABLE, false);
        Job job = store.find(id).orElse(null);
        if (job == null) {
            LOG.warn("Queue entry names job {}, which does not exist: dropped", id);
            return;
        }
        if (job.status().terminal()) {
            LOG.info("Job {} is already {}: not run again", id, job.status().value());
            return;
        }
        exchange.setProperty(JobSubmitter.JOB, job);
        if (in.getHeader(RedisStreamConstants.EXHAUSTED, false, Boolean.class)) {
            fail(exchange, job, "gave_up", "Gave up after " + (deliveries - 1) + " attempts: " + (job.error() != null
                    ? "the last one: " + job.error() : "each time, the worker running the job stopped before it"
                    + " finished (crash, kill or lost connection)."));
            return;
        }
        if (store.mustStop(id)) { // a cancel asked of a worker that stopped before it could act on it
            cancel(exchange, job);
            return;
        }
        String attempt = Attempts.token();
        if (moves.begin(id, attempt, in.getHeader(RedisStreamConstants.CONSUMER, "", String.class), deliveries,
                clock.instant()).isPresent()) {
            return; // changed under us, e.g. cancelled
        }
        exchange.setProperty(ATTEMPT, attempt);
        Attempts.stopWhenLost(exchange, () -> watcher.abandon(id));
        files.freshWorkDir(id, attempt);
        exchange.setProperty(RUNNABLE, true);
        running.incrementAndGet();
        // A missing encoder is refused after the probe, as before, rather than here, outside the route's doTry.
        exchange.setProperty(PROBE_FIRST,
                FfmpegArguments.dependsOnInput(job.preset()) || !inputs.missingEncoders(job.preset()).isEmpty());
    }

    /** Readies the probe of the job's input. */
    public void readyProbe(Exchange exchange) {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        stage(exchange, "probe", ffmpeg.ffprobe(), FfmpegArguments.probe(input(job)),
                files.workDir(job.id(), attempt(exchange)), PROBE_TIMEOUT);
    }

    /** Readies the encode, with the probe's findings where the probe ran first. */
    public void readyEncode(Exchange exchange) {
        encode(exchange, exchange.getProperty(JobSubmitter.JOB, Job.class), exchange.getProperty(INPUT, MediaInfo.class));
    }

    /**
     * The probe beside the encode has ended: its findings are stored at once (what a running job shows, and its
     * progress needs the duration), and an input it refuses stops the encode now. Its verdict is weighed when the
     * encode has ended. The probe runs without camel-exec's exit check, so that a failure is judged here, at once.
     */
    public void probedBeside(Exchange beside) {
        Job job = beside.getProperty(JobSubmitter.JOB, Job.class);
        long started = beside.getProperty(STAGE_STARTED, 0L, Long.class);
        Message out = beside.getMessage();
        int exit = out.getHeader(ExecBinding.EXEC_EXIT_VALUE, 0, Integer.class);
        if (exit != 0) {
            ExecResult result = out.getBody(ExecResult.class);
            beside.setProperty(PROBE_BESIDE, ProbeBeside.failed(new ExecException("ffprobe exited with " + exit,
                    result.getStdout(), result.getStderr(), exit), started));
            watcher.stopNow(job.id(), EncodeWatcher.Stop.REFUSED);
            return;
        }
        String json = out.getBody(String.class); // a stream: read it once
        MediaInfo info = null;
        try {
            info = record(job.id(), attempt(beside), json);
            watcher.duration(job.id(), info.durationSeconds());
            inputs.refusal(job.preset(), info).ifPresent(refused -> watcher.stopNow(job.id(), EncodeWatcher.Stop.REFUSED));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Job {}: probe unreadable for now ({}); judged after the encode", job.id(), e.toString());
        }
        beside.setProperty(PROBE_BESIDE, new ProbeBeside(json, info, null, started));
    }

    /** Reads the probe that ran first, and refuses inputs the preset cannot use. */
    public void probed(Exchange exchange) throws IOException {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        accept(exchange, job, record(job.id(), attempt(exchange), exchange.getIn().getBody(String.class)));
        inputs.requireEncoders(job.preset());
    }

    /** Stores what the probe found on the job. */
    private MediaInfo record(String id, String attempt, String probeJson) throws IOException {
        MediaInfo info = MediaInfo.parse(probeJson);
        fence.write(id, attempt, JobHash.mediaFields(info));
        return info;
    }

    /** Refuses an input the preset cannot use, or one over the limits. */
    private void accept(Exchange exchange, Job job, MediaInfo info) {
        exchange.setProperty(INPUT, info);
        inputs.refusal(job.preset(), info).ifPresent(failure -> {
            throw failure;
        });
    }

    /** @param info the probe's findings, or null while a probe runs beside the encode */
    private void encode(Exchange exchange, Job job, MediaInfo info) {
        Path work = files.workDir(job.id(), attempt(exchange));
        watcher.start(job.id(), attempt(exchange), files.jobDir(job.id()), work,
                info == null ? null : info.durationSeconds());
        // The watcher stops FFmpeg at the encode timeout and escalates; camel-exec's own timeout is the backstop.
        stage(exchange, "encode", ffmpeg.ffmpeg(),
                FfmpegArguments.transcode(input(job), work, job.preset(), info, policy), work,
                encodeTimeout.plus(watcher.grace().multipliedBy(2)).plusSeconds(10));
    }

    /**
     * The verdict of a probe run beside the encode: the input is accepted, or the probe's own failure is thrown, as
     * it would have been had the probe run first.
     */
    private void awaitProbe(Exchange exchange, Job job) throws Exception {
        ProbeBeside probe = exchange.getProperty(PROBE_BESIDE, ProbeBeside.class);
        if (probe == null) {
            return;
        }
        exchange.removeProperty(PROBE_BESIDE);
        if (probe.failure() != null) {
            exchange.setProperty(STAGE, "probe");
            exchange.setProperty(STAGE_STARTED, probe.started());
            throw probe.failure();
        }
        accept(exchange, job, probe.info() != null ? probe.info()
                : record(job.id(), attempt(exchange), probe.json()));
    }

    /** The encode is over: takes the verdict of a probe run beside it, then readies the probe of the main output. */
    public void encoded(Exchange exchange) throws Exception {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        watcher.stop(job.id());
        exchange.setProperty(ENCODE_SECONDS,
                (System.currentTimeMillis() - exchange.getProperty(STAGE_STARTED, 0L, Long.class)) / 1000.0);
        awaitProbe(exchange, job);
        Path main = files.workDir(job.id(), attempt(exchange)).resolve(job.preset().mainOutput());
        if (!Files.isRegularFile(main) || Files.size(main) == 0) {
            throw new JobFailure("no_output", "FFmpeg reported success but wrote no " + job.preset().mainOutput() + ".");
        }
        stage(exchange, "verify", ffmpeg.ffprobe(), FfmpegArguments.verify(main),
                files.workDir(job.id(), attempt(exchange)), PROBE_TIMEOUT);
    }

    /** Checks the outputs against the preset, moves them into place and records success. */
    public void verified(Exchange exchange) throws IOException {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        MediaInfo input = exchange.getProperty(INPUT, MediaInfo.class);
        List<String> problems = OutputCheck.problems(job.preset(), input, exchange.getIn().getBody(String.class));
        if (!problems.isEmpty()) {
            throw new JobFailure("verification", "Verification failed: " + String.join("; ", problems) + ".");
        }
        if (store.mustStop(job.id())) { // cancelled while the output was verified: it is not published
            cancel(exchange, job);
            return;
        }
        Attempts.requireHeld(exchange, fence, job.id());
        List<Job.Output> outputs = files.publishWork(job.id(), attempt(exchange),
                Set.of(FfmpegArguments.PROGRESS_FILE));
        long bytesOut = outputs.stream().mapToLong(Job.Output::size).sum();
        double encodeSeconds = exchange.getProperty(ENCODE_SECONDS, 0.0, Double.class);
        Double speed = input.durationSeconds() != null && encodeSeconds > 0
                ? input.durationSeconds() / encodeSeconds : null;
        files.deleteAttempt(job.id(), attempt(exchange)); // its outputs are out: nothing is left there to see
        moves.succeed(job.id(), attempt(exchange), outputs, clock.instant()).ifPresentOrElse(
                status -> LOG.warn("Job {} finished but was {} meanwhile", job.id(), status),
                () -> outcome(exchange, job, JobStatus.SUCCEEDED, null, bytesOut, speed));
    }

    private void outcome(Exchange exchange, Job job, JobStatus status, String failure, long bytesOut,
            Double encodeSpeed) {
        exchange.setProperty(OUTCOME, new Outcome(job.id(), status, job.preset().name(),
                Duration.between(job.createdAt(), clock.instant()).toMillis() / 1000.0, failure, bytesOut,
                encodeSpeed));
    }

    /**
     * Records why the job failed: FFmpeg's own words where it was FFmpeg that refused. What a stopped FFmpeg means is
     * decided by who stopped it, never by its exit code: a cancel, the watchdog, the JVM shutting down (the job goes
     * back on the queue at once, see {@link JobInterrupted}), or a signal from outside this service.
     */
    public void failed(Exchange exchange) {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        Attempts.requireLease(exchange, job.id());
        EncodeWatcher.Stop stop = watcher.stopReason(job.id()).orElse(null);
        if (stop == EncodeWatcher.Stop.CANCELLED || store.mustStop(job.id())) {
            cancel(exchange, job);
            return;
        }
        if (stop == EncodeWatcher.Stop.STALLED || stop == EncodeWatcher.Stop.TOO_SLOW) {
            retry(exchange, job, stop == EncodeWatcher.Stop.STALLED
                    ? "FFmpeg made no progress for too long and was stopped"
                    : "FFmpeg ran far longer than the input lasts and was stopped");
        }
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (stop == null && caught instanceof ExecException exec
            && (EncodeWatcher.shuttingDown() || exchange.getContext().isStopping())) {
            exchange.getMessage().setHeader(RedisStreamConstants.RETRY_DELAY, 0L); // another worker, at once
            throw new JobInterrupted("FFmpeg was stopped (exit code " + exec.getExitValue() + ") by the shutdown"
                                     + " of this worker while running job " + job.id() + "; it stays queued");
        }
        Exception cause = probeVerdict(exchange, job).orElse(caught);
        if (stop == null && cause instanceof ExecException exec && exec.getExitValue() > KILLED_BY_SIGNAL
            && exec.getExitValue() != 255) {
            retry(exchange, job, "FFmpeg was ended by signal " + (exec.getExitValue() - KILLED_BY_SIGNAL)
                    + ", which this service did not send (the system may be short of memory)");
        }
        String stderr = cause instanceof ExecException exec ? text(exec.getStderr()) : "";
        FailureClassifier.Verdict verdict = FailureClassifier.classify(cause, stderr,
                exchange.getProperty(STAGE, String.class), timedOut(exchange, stop), encodeTimeout,
                files.root().toString());
        fail(exchange, job, verdict.category(), verdict.reason());
        files.deleteWork(job.id());
    }

    /** The job was cancelled: its work and (for an upload) its input are removed; an inbox file is the user's. */
    private void cancel(Exchange exchange, Job job) {
        // Files first: whoever sees "cancelled" finds them gone (a crash in between leaves a cancel still asked).
        if ("inbox".equals(job.source())) {
            files.deleteWork(job.id());
        } else {
            files.deleteJob(job.id());
        }
        moves.cancel(job.id(), attempt(exchange), clock.instant());
        outcome(exchange, job, JobStatus.CANCELLED, null, 0, null);
        LOG.info("Job {} cancelled: its programs were stopped and its files removed", job.id());
    }

    /**
     * When FFmpeg failed while a probe ran beside it, what the probe says wins: "not a video" or "no video stream" tell
     * more than FFmpeg's complaint about a stream map. Only an FFmpeg failure asks (never a stop or a cancel).
     */
    private Optional<Exception> probeVerdict(Exchange exchange, Job job) {
        if (!(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof ExecException)) {
            return Optional.empty();
        }
        try {
            awaitProbe(exchange, job);
            return Optional.empty();
        } catch (Exception verdict) {
            return Optional.of(verdict);
        }
    }

    /** Puts the job back on the queue, to run again after a backoff that doubles with each attempt. */
    private void retry(Exchange exchange, Job job, String reason) {
        long attempt = exchange.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class);
        long delay = retryBackoff.toMillis() << Math.min(10, attempt - 1);
        String error = "Attempt " + attempt + ": " + reason + "; retrying in " + delay / 1000 + " s.";
        moves.requeue(job.id(), attempt(exchange), error);
        files.deleteWork(job.id());
        exchange.getMessage().setHeader(RedisStreamConstants.RETRY_DELAY, delay);
        throw new JobRetry(error);
    }

    /** Whatever happened, this worker stops watching the job's encode. */
    public void finished(Exchange exchange) {
        Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
        if (job != null) {
            watcher.stop(job.id());
            watcher.forget(job.id());
        }
        if (exchange.getProperty(RUNNABLE, false, Boolean.class)) {
            running.decrementAndGet();
        }
    }

    /** How many jobs this process is running now. */
    public AtomicInteger running() {
        return running;
    }

    /** This attempt's token; empty before the job began (a write with it is not fenced). */
    private static String attempt(Exchange exchange) {
        return exchange.getProperty(ATTEMPT, "", String.class);
    }

    private Path input(Job job) {
        return files.jobDir(job.id()).resolve(job.inputFile());
    }

    private boolean timedOut(Exchange exchange, EncodeWatcher.Stop stop) {
        Duration limit = "encode".equals(exchange.getProperty(STAGE)) ? encodeTimeout : PROBE_TIMEOUT;
        return stop == EncodeWatcher.Stop.TIMEOUT
               || System.currentTimeMillis() - exchange.getProperty(STAGE_STARTED, 0L, Long.class) >= limit.toMillis();
    }

    private void fail(Exchange exchange, Job job, String category, String reason) {
        if (moves.fail(job.id(), attempt(exchange), reason, clock.instant()).isEmpty()) {
            outcome(exchange, job, JobStatus.FAILED, category, 0, null);
        }
        LOG.info("Job {} failed: {}", job.id(), reason);
    }

    private void stage(Exchange exchange, String stage, Path program, List<String> args, Path workDir,
            Duration timeout) {
        exchange.setProperty(STAGE, stage);
        exchange.setProperty(STAGE_STARTED, System.currentTimeMillis());
        sandbox.ready(exchange.getIn(), program, args, workDir, timeout);
    }

    private static String text(InputStream stream) {
        if (stream == null) {
            return "";
        }
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
