package io.videotranscoder.job;

import java.io.IOException;
import java.util.Optional;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.process.BoundedExec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker makes of the probe of a job's input, run before the encode or beside it: its findings are stored on
 * the job, and an input the preset cannot use, or one over the limits, is refused.
 */
class ProbeVerdicts {

    /** The probe's findings ({@link MediaInfo}), once accepted. */
    static final String INPUT = "transcoderInput";
    /** The {@link ProbeBeside} verdict of the probe run beside the encode, until it is weighed. */
    static final String BESIDE = "transcoderProbeBeside";
    /** The findings of a probe that ran first, until the input's guessed length is measured ({@link #measured}). */
    static final String MEASURE = "transcoderMeasure";
    private static final Logger LOG = LoggerFactory.getLogger(ProbeVerdicts.class);

    private final AttemptFence fence;
    private final InputAcceptance inputs;
    private final EncodeWatcher watcher;

    ProbeVerdicts(AttemptFence fence, InputAcceptance inputs, EncodeWatcher watcher) {
        this.fence = fence;
        this.inputs = inputs;
        this.watcher = watcher;
    }

    /** The accepted findings of the job's input; null while a probe runs beside the encode. */
    static MediaInfo input(Exchange exchange) {
        return exchange.getProperty(INPUT, MediaInfo.class);
    }

    /**
     * Reads the probe that ran first, and refuses inputs the preset cannot use, or an encoder this FFmpeg lacks; false
     * when the probe may have guessed the input's length, which is measured first ({@link #measured}).
     */
    boolean first(Exchange exchange, Job job) throws IOException {
        MediaInfo info = parse(exchange.getIn().getBody(String.class));
        if (info.lengthGuessed()) {
            exchange.setProperty(MEASURE, info);
            return false;
        }
        settle(exchange, job, info);
        return true;
    }

    /** The input was read to its end: its findings with the length measured, weighed as {@link #first} weighs them. */
    void measured(Exchange exchange, Job job, Double seconds) throws IOException {
        MediaInfo guessed = exchange.getProperty(MEASURE, MediaInfo.class);
        exchange.removeProperty(MEASURE);
        settle(exchange, job, guessed.measured(seconds));
    }

    private void settle(Exchange exchange, Job job, MediaInfo info) throws IOException {
        fence.write(job.id(), Attempts.of(exchange), JobHash.mediaFields(info));
        accept(exchange, job, info);
        inputs.requireEncoders(job.preset());
    }

    /**
     * The probe beside the encode has ended: its findings are stored at once (what a running job shows, and its
     * progress needs the duration), and an input it refuses stops the encode now. Its verdict is weighed when the
     * encode has ended. The probe runs without camel-exec's exit check, so that a failure is judged here, at once.
     */
    void beside(Exchange beside, Job job) {
        long started = ExecStages.started(beside);
        Message out = beside.getMessage();
        int exit = out.getHeader(ExecBinding.EXEC_EXIT_VALUE, 0, Integer.class);
        if (exit != 0) {
            ExecResult result = out.getBody(ExecResult.class);
            beside.setProperty(BESIDE, ProbeBeside.failed(new ExecException("ffprobe exited with " + exit,
                    result.getStdout(), result.getStderr(), exit), started));
            // A probe stopped at its time limit says nothing of the file: the job fails for time, as a probe run
            // first does, not as "not a video".
            boolean outOfTime = System.currentTimeMillis() - started >= ExecStages.PROBE_TIMEOUT.toMillis();
            watcher.stopNow(EncodeWatcher.run(beside, job.id()),
                    outOfTime ? EncodeWatcher.Stop.TIMEOUT : EncodeWatcher.Stop.REFUSED);
            return;
        }
        String json = out.getBody(String.class); // a stream: read it once
        MediaInfo info = null;
        try {
            info = record(job.id(), Attempts.of(beside), json);
            String run = EncodeWatcher.run(beside, job.id());
            watcher.duration(run, info.durationSeconds());
            inputs.refusal(job.preset(), info).ifPresent(refused -> watcher.stopNow(run, EncodeWatcher.Stop.REFUSED));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Job {}: probe unreadable for now ({}); judged after the encode", job.id(), e.toString());
        }
        beside.setProperty(BESIDE, new ProbeBeside(json, info, null, started));
    }

    /**
     * The verdict of a probe run beside the encode, if one did: the input is accepted, or the probe's own failure is
     * thrown, as it would have been had the probe run first.
     */
    void await(Exchange exchange, Job job) throws Exception {
        ProbeBeside probe = exchange.getProperty(BESIDE, ProbeBeside.class);
        if (probe == null) {
            return;
        }
        exchange.removeProperty(BESIDE);
        if (probe.failure() != null) {
            ExecStages.judgeAs(exchange, "probe", probe.started());
            throw probe.failure();
        }
        accept(exchange, job, probe.info() != null ? probe.info()
                : record(job.id(), Attempts.of(exchange), probe.json()));
    }

    /**
     * When FFmpeg failed while a probe ran beside it, what the probe says wins: "not a video" or "no video stream" tell
     * more than FFmpeg's complaint about a stream map. Only an FFmpeg failure asks (never a stop or a cancel).
     */
    Optional<Exception> overrule(Exchange exchange, Job job) {
        if (!(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof ExecException)) {
            return Optional.empty();
        }
        try {
            await(exchange, job);
            return Optional.empty();
        } catch (Exception verdict) {
            return Optional.of(verdict);
        }
    }

    /** Stores what the probe found on the job. */
    private MediaInfo record(String id, String attempt, String probeJson) throws IOException {
        MediaInfo info = parse(probeJson);
        fence.write(id, attempt, JobHash.mediaFields(info));
        return info;
    }

    /**
     * What ffprobe said of the input; an input it describes past what this service reads (metadata of megabytes: a
     * description cut at {@link BoundedExec#STDOUT_HEAD}, or a value past Jackson's limits) is refused, as the input's
     * fault, not tried again as a failure of the service.
     */
    private static MediaInfo parse(String probeJson) {
        try {
            return MediaInfo.parse(probeJson);
        } catch (IOException unreadable) {
            throw new JobFailure("input_limit", "ffprobe's description of the input could not be read (longer than "
                    + (BoundedExec.STDOUT_HEAD >> 20) + " MiB, or a value longer or deeper than this service reads):"
                    + " the file is refused.");
        }
    }

    /** Refuses an input the preset cannot use, or one over the limits. */
    private void accept(Exchange exchange, Job job, MediaInfo info) {
        exchange.setProperty(INPUT, info);
        inputs.refusal(job.preset(), info).ifPresent(failure -> {
            throw failure;
        });
    }
}
