package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the segment route (routes/segments.camel.yaml), one method each, for the parts of a split job (see
 * {@link SplitPlan}): a segment or the audio is encoded into its own folder, stored under the job's {@code parts/}
 * and counted ({@link SegmentLedger}); the last count queues the join, which concatenates the segments, muxes the
 * audio and goes through the worker's own verification and publication, as an attempt of the job of its own.
 */
public class SegmentWorker {

    /** Whether the part is to be run. */
    public static final String RUNNABLE = "transcoderPartRunnable";
    /** The part's kind: {@code SEGMENT}, {@code AUDIO} or {@code JOIN}. */
    public static final String KIND = "transcoderPartKind";
    /** The stored parts' names, in order, for the join's fetch. */
    public static final String NAMES = "transcoderPartNames";
    /** The encoded part's file, for the step that stores it. */
    public static final String FILE = "transcoderPartFile";
    static final String PART = "transcoderPart";
    /** The split run the part belongs to: the job's stored parts are kept by run ({@link PartFiles}). */
    public static final String RUN = "transcoderSplitRun";
    private static final String WORK = EncodeWatcher.PART_FOLDER;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentWorker.class);

    private final JobStore store;
    private final ScratchCopies copies;
    private final PartFiles parts;
    private final SegmentLedger ledger;
    private final EncodeWatcher watcher;
    private final ExecStages stages;
    private final PartEnds ends;
    private final PartJoin join;
    private final PartCount count;
    private final PartAdmission admission;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param copies       where this worker encodes: the data root, or its scratch folder with an object store
     * @param retryBackoff the wait before a part's second attempt; it doubles with each further one
     */
    public SegmentWorker(JobStore store, ScratchCopies copies, Storage storage, FfmpegTools ffmpeg,
            EncodeWatcher watcher, Duration encodeTimeout, Duration retryBackoff, Clock clock, InputPolicy policy,
            FfmpegSandbox sandbox) {
        JobFiles files = copies.files();
        this.copies = copies;
        this.store = store;
        this.parts = new PartFiles(files);
        this.ledger = new SegmentLedger(store);
        this.watcher = watcher;
        this.stages = new ExecStages(ffmpeg, sandbox, files, policy, encodeTimeout, watcher);
        RetryPolicy retries = new RetryPolicy(retryBackoff);
        AttemptEnds attemptEnds = new AttemptEnds(new JobTransitions(store), files, storage, clock, retries);
        this.ends = new PartEnds(store, files, parts, storage, watcher, attemptEnds, encodeTimeout, retries);
        this.join = new PartJoin(store, ledger, files, parts, watcher, ffmpeg, sandbox, encodeTimeout);
        this.count = new PartCount(ledger, new AttemptFence(store), ends);
        this.admission = new PartAdmission(store, ledger, ends);
    }

    /**
     * Takes the part, unless it is not to be run ({@link PartAdmission}), its job was cancelled, or it ran out of
     * attempts.
     */
    public void begin(Exchange exchange) {
        exchange.setProperty(RUNNABLE, false);
        Map<?, ?> body = exchange.getIn().getBody(Map.class);
        Part part = Part.of(body);
        String run = String.valueOf(body.get("split"));
        Optional<PartAdmission.Admitted> admitted = admission.admit(part, run,
                exchange.getIn().getHeader(RedisStreamConstants.ENTRY_ID, "", String.class),
                exchange.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class));
        if (admitted.isEmpty()) {
            return;
        }
        Job job = admitted.get().job();
        exchange.setProperty(JobSubmitter.JOB, job);
        exchange.setProperty(Attempts.PROPERTY, admitted.get().attempt());
        exchange.setProperty(ProbeVerdicts.INPUT, job.input());
        exchange.setProperty(PART, part);
        exchange.setProperty(RUN, run);
        exchange.setProperty(KIND, part.kind().name());
        if (exchange.getIn().getHeader(RedisStreamConstants.EXHAUSTED, false, Boolean.class)) {
            ends.gaveUp(exchange, job, part);
        } else if (store.standing(job.id()).mustStop()) {
            ends.cancelled(exchange, job);
        } else {
            exchange.setProperty(RUNNABLE, true);
            running.incrementAndGet();
            copies.hold(job.id());
        }
    }

    /** Readies the encode of a segment, or of the audio, into the part's own folder. */
    public void readyPart(Exchange exchange) throws IOException {
        Job job = job(exchange);
        stages.encodePart(exchange, job, exchange.getProperty(PART, Part.class), work(exchange, job));
    }

    /** The part is encoded: its file, for the storage step, unless the job was split anew meanwhile (none then). */
    public void encodedPart(Exchange exchange) throws IOException {
        Job job = job(exchange);
        Part part = exchange.getProperty(PART, Part.class);
        watcher.stop(EncodeWatcher.run(exchange, job.id()));
        Path file = exchange.getProperty(WORK, Path.class).resolve(part.fileName());
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new JobFailure("no_output", "FFmpeg reported success but wrote no " + file.getFileName() + ".");
        }
        if (count.wanted(job, part, exchange.getProperty(RUN, String.class))) {
            exchange.setProperty(FILE, file.toFile());
        }
    }

    /** The local data root's storage of a part: a rename into the job's {@code parts/<split run>/}. */
    public void movePart(Exchange exchange) throws IOException {
        Job job = job(exchange);
        Path file = exchange.getProperty(FILE, java.io.File.class).toPath();
        Path target = Files.createDirectories(parts.parts(job.id(), exchange.getProperty(RUN, String.class)))
                .resolve(file.getFileName());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The part is stored whole: it counts, and the job's progress moves by the share it covers. */
    public void partStored(Exchange exchange) {
        count.stored(exchange, job(exchange), exchange.getProperty(PART, Part.class),
                exchange.getProperty(RUN, String.class));
    }

    /** The names of the stored parts the join reads, for the step that fetches them. */
    public void joinParts(Exchange exchange) {
        exchange.setProperty(NAMES, join.names(job(exchange)));
    }

    /** Readies the join in the attempt's work folder, whose files the worker's publication then verifies and stores. */
    @SuppressWarnings("unchecked")
    public void readyJoin(Exchange exchange) throws IOException {
        Job job = job(exchange);
        join.ready(exchange, job, exchange.getProperty(RUN, String.class), exchange.getProperty(NAMES, List.class),
                work(exchange, job));
    }

    /** The join's outputs are stored and its success recorded: the parts go. */
    public void joined(Exchange exchange) {
        ends.discard(job(exchange).id());
    }

    /** Judges a part that failed: the job is cancelled, handed back on shutdown, or failed with the reason. */
    public void failed(Exchange exchange) {
        ends.judge(exchange, job(exchange), exchange.getProperty(PART, Part.class));
    }

    /** Whatever happened, the part's folder goes, and this worker lets go of the job's copies. */
    public void finished(Exchange exchange) {
        Job job = job(exchange);
        Path work = exchange.getProperty(WORK, Path.class);
        if (job != null && work != null) { // a part watched from its folder's making on
            String run = EncodeWatcher.partRun(job.id(), work);
            watcher.stop(run);
            watcher.forget(run);
            parts.deleteWork(work);
        }
        if (exchange.getProperty(RUNNABLE, false, Boolean.class)) {
            running.decrementAndGet();
            copies.release(job.id());
        }
    }

    /** How many parts this process is running now. */
    public AtomicInteger running() {
        return running;
    }

    /**
     * The part's own folder, made now: from now on, should its queue entry be taken over by another worker (after a
     * pause past its lease), the part's FFmpeg is stopped at once.
     */
    private Path work(Exchange exchange, Job job) throws IOException {
        Path work = parts.freshWork(job.id(), Attempts.token());
        exchange.setProperty(WORK, work);
        Attempts.stopWhenLost(exchange, () -> watcher.stopNow(EncodeWatcher.partRun(job.id(), work),
                EncodeWatcher.Stop.LOST));
        return work;
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty(JobSubmitter.JOB, Job.class);
    }
}
