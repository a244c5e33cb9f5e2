package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegProgress;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.SegmentArguments;
import io.videotranscoder.ffmpeg.SoundCheck;
import org.apache.camel.Exchange;

/**
 * The programs the worker route runs, each a stage: ffprobe on the input ({@code probe}), FFmpeg reading it to its end
 * where the probe may have guessed its length ({@code measure}), FFmpeg ({@code encode}, or a part's encode in the
 * segment route), ffprobe on the main output, and on its sound where that must be read too ({@code verify}). The one
 * place their exec commands are built: program, arguments, working folder and time limit, left as camel-exec's headers
 * for the route's next {@code exec:} step. Each stage is named and timed on the exchange, so that a failure is judged
 * as the stage it was.
 */
class ExecStages {

    static final String STAGE = "transcoderStage";
    static final String STARTED = "transcoderStageStarted";
    static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);
    /** A measure reads the whole input (nothing decoded): a large file takes as long as its disk reads it. */
    static final Duration MEASURE_TIMEOUT = Duration.ofMinutes(10);

    private final FfmpegTools ffmpeg;
    private final FfmpegSandbox sandbox;
    private final JobFiles files;
    private final InputPolicy policy;
    private final Duration encodeTimeout;
    private final EncodeWatcher watcher;

    /** @param watcher where FFmpeg reports its progress, and the longest a stopped FFmpeg takes to exit */
    ExecStages(FfmpegTools ffmpeg, FfmpegSandbox sandbox, JobFiles files, InputPolicy policy, Duration encodeTimeout,
            EncodeWatcher watcher) {
        this.ffmpeg = ffmpeg;
        this.sandbox = sandbox;
        this.files = files;
        this.policy = policy;
        this.encodeTimeout = encodeTimeout;
        this.watcher = watcher;
    }

    /** What FFmpeg may read, and the limits of an input. */
    InputPolicy policy() {
        return policy;
    }

    /**
     * The probe of the input, run before the encode: watched, so that a cancel stops it (a probe of an input slow to
     * read may take its whole time limit). Beside the encode, it is stopped with the encode, whose folder it names.
     */
    void probe(Exchange exchange, Job job) {
        Path work = workDir(exchange, job);
        watcher.startProbe(job.id(), Attempts.of(exchange), files.jobDir(job.id()), work);
        ready(exchange, "probe", ffmpeg.ffprobe(), FfmpegArguments.probe(input(job)), work, PROBE_TIMEOUT);
    }

    /**
     * The probe run first has ended: it is no longer watched, and a stop asked as it ended by itself is moot (a cancel
     * stays asked: the next step finds it).
     */
    void probed(Exchange exchange, Job job) {
        unwatch(exchange, job);
    }

    /**
     * FFmpeg reading the input to its end, nothing decoded: the length the probe may have guessed, measured. It may
     * take minutes on a large file: the watcher watches it as it does an encode, so that a cancel stops it.
     */
    void measure(Exchange exchange, Job job) {
        Path work = workDir(exchange, job);
        watcher.startMeasure(job.id(), Attempts.of(exchange), files.jobDir(job.id()), work);
        ready(exchange, "measure", ffmpeg.ffmpeg(), watcher.reporting(work, FfmpegArguments.measure(input(job))), work,
                limit("measure", encodeTimeout));
    }

    /**
     * The measured length: where the measure's last progress report ended; null when it told none. A stop the watcher
     * asked as the measure ended by itself is moot, and forgotten: the encode, watched under the same run, is not
     * judged by it (a cancel stays asked, and stops the encode; a lost attempt fails its next write).
     */
    Double measured(Exchange exchange, Job job) throws IOException {
        unwatch(exchange, job);
        Path report = workDir(exchange, job).resolve(FfmpegArguments.PROGRESS_FILE);
        Double seconds = Files.exists(report) ? FfmpegProgress.end(report) : null;
        Files.deleteIfExists(report); // the encode's own reports come next: none of the measure's is taken for theirs
        return seconds;
    }

    /** @param info the probe's findings, or null while a probe runs beside the encode */
    void encode(Exchange exchange, Job job, MediaInfo info) {
        Path work = workDir(exchange, job);
        ready(exchange, "encode", ffmpeg.ffmpeg(), watcher.reporting(work, FfmpegArguments.transcode(input(job), work,
                job.preset(), info, policy, ffmpeg.threads())), work, backstop());
    }

    /**
     * A part of a split job encoded into {@code work}, a folder of its own: a segment, or the whole input's audio.
     * The watcher stops it at the encode timeout, as it does a whole encode, behind the same backstop.
     */
    void encodePart(Exchange exchange, Job job, Part part, Path work) {
        List<String> args = part.kind() == Part.Kind.AUDIO
                ? SegmentArguments.audio(input(job), work, part.fileName(), job.preset(), policy, ffmpeg.threads())
                : SegmentArguments.segment(input(job), work, part.fileName(), job.preset(), job.input(), part.span(),
                        policy, ffmpeg.threads());
        List<String> reporting = watcher.reporting(work, args);
        watcher.startPart(job.id(), Attempts.of(exchange), work, work,
                part.kind() == Part.Kind.AUDIO ? job.input().durationSeconds() : part.seconds());
        ready(exchange, "encode", ffmpeg.ffmpeg(), reporting, work, backstop());
    }

    /**
     * camel-exec's own limit on an encode: after the watcher's stop at the encode timeout and its SIGKILL a grace
     * later. At the timeout itself, its SIGTERM would come before the watcher's, and the encode would be judged ended
     * by a signal from outside (retried) instead of out of time.
     */
    private Duration backstop() {
        return encodeTimeout.plus(watcher.grace().multipliedBy(2)).plusSeconds(10);
    }

    /** @param input the probe's findings on the job's input, which tell where the output's picture begins */
    void verify(Exchange exchange, Job job, Path mainOutput, MediaInfo input) {
        ready(exchange, "verify", ffmpeg.ffprobe(), FfmpegArguments.verify(mainOutput, job.preset(), input),
                workDir(exchange, job), PROBE_TIMEOUT);
    }

    /** The probe of the main output's sound, its last packets ({@link SoundCheck}). */
    void verifySound(Exchange exchange, Job job, SoundCheck.Read read) {
        ready(exchange, "verify", ffmpeg.ffprobe(), FfmpegArguments.soundEnd(read), workDir(exchange, job),
                PROBE_TIMEOUT);
    }

    /** Whether the stage that ran last ran into its time limit. */
    boolean ranOutOfTime(Exchange exchange) {
        return System.currentTimeMillis() - started(exchange) >= limit(stage(exchange), encodeTimeout).toMillis();
    }

    /**
     * The time limit of a stage: the encode's is a setting, which a measure (watched as an encode is) never exceeds.
     */
    static Duration limit(String stage, Duration encodeTimeout) {
        return switch (String.valueOf(stage)) {
            case "encode" -> encodeTimeout;
            case "measure" -> MEASURE_TIMEOUT.compareTo(encodeTimeout) < 0 ? MEASURE_TIMEOUT : encodeTimeout;
            default -> PROBE_TIMEOUT;
        };
    }

    /** The stage that ran last: {@code probe}, {@code measure}, {@code encode} or {@code verify}. */
    static String stage(Exchange exchange) {
        return exchange.getProperty(STAGE, String.class);
    }

    /** When the stage that ran last started, in epoch milliseconds. */
    static long started(Exchange exchange) {
        return exchange.getProperty(STARTED, 0L, Long.class);
    }

    /** A failure found later is judged as the stage that caused it, e.g. a probe that ran beside the encode. */
    static void judgeAs(Exchange exchange, String stage, long started) {
        exchange.setProperty(STAGE, stage);
        exchange.setProperty(STARTED, started);
    }

    private void ready(Exchange exchange, String stage, Path program, List<String> args, Path workDir,
            Duration timeout) {
        judgeAs(exchange, stage, System.currentTimeMillis());
        sandbox.ready(exchange.getIn(), program, args, workDir, timeout);
    }

    private void unwatch(Exchange exchange, Job job) {
        String run = EncodeWatcher.run(exchange, job.id());
        watcher.stop(run);
        watcher.forget(run);
    }

    private Path workDir(Exchange exchange, Job job) {
        return files.workDir(job.id(), Attempts.of(exchange));
    }

    private Path input(Job job) {
        return files.jobDir(job.id()).resolve(job.inputFile());
    }
}
