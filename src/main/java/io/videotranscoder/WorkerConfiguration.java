package io.videotranscoder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.job.EncodeWatcher;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.job.JudgedFailures;
import io.videotranscoder.job.ScratchCopies;
import io.videotranscoder.job.SegmentWorker;
import io.videotranscoder.job.SplitPlan;
import io.videotranscoder.job.ProbeBesideEncode;
import io.videotranscoder.queue.Admission;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The worker: the steps of a job's run, the watchdog beside each encode, and how the probe beside it joins it. */
public class WorkerConfiguration implements CamelConfiguration {

    @PropertyInject("transcoder.encode-timeout")
    private Duration encodeTimeout;

    /**
     * camel-main calls the factory methods twice (as it creates this class, then as it loads it): the scratch folder
     * is emptied once, and both workers share its holds. The workers themselves are made each time, with the watcher
     * bound by then.
     */
    private ScratchCopies copies;
    /** As the copies: one set of permits for both queues. */
    private Semaphore slots;

    /** Stops an encode that stalls, runs far longer than its input lasts, or past the timeout. */
    @BindToRegistry
    public EncodeWatcher encodeWatcher(JobStore store, @PropertyInject("transcoder.watch-period") Duration period,
            @PropertyInject("transcoder.stall-timeout") Duration stall,
            @PropertyInject("transcoder.max-slowdown") double maxSlowdown,
            @PropertyInject("transcoder.min-encode-limit") Duration minLimit,
            @PropertyInject("transcoder.stop-grace") Duration stopGrace) {
        return new EncodeWatcher(store, period, stall, maxSlowdown, minLimit, encodeTimeout, stopGrace);
    }

    /**
     * With an object store, a worker reads a copy of the input and encodes in a scratch folder of its own, emptied as
     * it starts (what is there was left by this process's previous run); with the local data root, it works there.
     */
    @BindToRegistry
    public ScratchCopies scratchCopies(JobStore store, JobFiles files, Storage storage,
            @PropertyInject("transcoder.scratch-dir") String scratchDir) throws IOException {
        if (copies == null) {
            copies = storage.local() ? ScratchCopies.none(files) : ScratchCopies.in(Path.of(scratchDir), store);
        }
        return copies;
    }

    /** What both worker routes' catches judge. */
    @BindToRegistry
    public JudgedFailures judgedFailures() {
        return new JudgedFailures();
    }

    @BindToRegistry
    public JobWorker jobWorker(JobStore store, JobFiles files, Storage storage, FfmpegTools ffmpeg,
            EncodeWatcher watcher, Clock clock, InputPolicy policy, FfmpegSandbox sandbox,
            @PropertyInject("transcoder.retry-backoff") Duration retryBackoff,
            @PropertyInject("transcoder.scratch-dir") String scratchDir, SplitPlan split) throws IOException {
        return new JobWorker(store, scratchCopies(store, files, storage, scratchDir), storage, ffmpeg, watcher,
                encodeTimeout, retryBackoff, clock, policy, sandbox, split);
    }

    /**
     * The jobs a worker process runs at once, whole or as parts of split jobs: the two queues' consumers share these
     * permits, so that a worker sized for one FFmpeg (TRANSCODER_CONCURRENCY=1) never runs a job and a part together.
     */
    @BindToRegistry
    public Semaphore workerSlots(@PropertyInject("transcoder.concurrency") int concurrency) {
        if (slots == null) {
            slots = new Semaphore(concurrency, true);
        }
        return slots;
    }

    /**
     * Whether the worker takes jobs (the jobs queue's consumer asks): not while the folder its encodes write to is
     * short of space (the data root, or with an object store the scratch folder), so that a full disk leaves them
     * queued rather than failing each in turn. The parts of jobs already split are taken whatever the room: a split
     * job's own stored segments may be what fills the disk, and only its end (or its failure) gives that room back.
     */
    @BindToRegistry
    public Admission workRoom(DiskSpace disk, JobStore store, JobFiles files, Storage storage,
            @PropertyInject("transcoder.scratch-dir") String scratchDir) throws IOException {
        return disk.of(scratchCopies(store, files, storage, scratchDir).files().root())::shortage;
    }

    /** Which long inputs are split into segments that any worker encodes (routes/segments.camel.yaml). */
    @BindToRegistry
    public SplitPlan splitPlan(@PropertyInject("transcoder.split-min-seconds") double minSeconds,
            @PropertyInject("transcoder.segment-seconds") double segmentSeconds) {
        return new SplitPlan(minSeconds, segmentSeconds);
    }

    /** The steps of the parts of split jobs: segments, audio and joins. */
    @BindToRegistry
    public SegmentWorker segmentWorker(JobStore store, JobFiles files, Storage storage, FfmpegTools ffmpeg,
            EncodeWatcher watcher, Clock clock, InputPolicy policy, FfmpegSandbox sandbox,
            @PropertyInject("transcoder.retry-backoff") Duration retryBackoff,
            @PropertyInject("transcoder.scratch-dir") String scratchDir) throws IOException {
        return new SegmentWorker(store, scratchCopies(store, files, storage, scratchDir), storage, ffmpeg, watcher,
                encodeTimeout, retryBackoff, clock, policy, sandbox);
    }

    @BindToRegistry
    public ProbeBesideEncode probeBesideEncode() {
        return new ProbeBesideEncode();
    }
}
