package io.videotranscoder.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.HlsPlaylists;
import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.Mp4Boxes;
import io.videotranscoder.ffmpeg.OutputCheck;
import io.videotranscoder.ffmpeg.SoundCheck;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;

/**
 * After the encode: FFmpeg must have written the main output, ffprobe verifies it against the preset, and the outputs
 * are stored whole (routes/storage/: moved into place, or uploaded) before the job is recorded as succeeded, unless it
 * was cancelled or taken over meanwhile.
 */
class Publication {

    private static final String ENCODE_SECONDS = "transcoderEncodeSeconds";
    /** The verified outputs' files, for the step that stores them. */
    static final String FILES = "transcoderOutputFiles";
    /** The outputs as the job will list them once stored. */
    static final String OUTPUTS = "transcoderOutputs";
    /** Where the output's sound is read, when the gate's probe could not tell its length ({@link SoundCheck}). */
    static final String SOUND_READ = "transcoderSoundRead";

    private final JobStore store;
    private final AttemptFence fence;
    private final JobFiles files;
    private final ExecStages stages;
    private final ProbeVerdicts probes;
    private final AttemptEnds ends;
    private final Storage storage;

    Publication(JobStore store, AttemptFence fence, JobFiles files, ExecStages stages, ProbeVerdicts probes,
            AttemptEnds ends, Storage storage) {
        this.storage = storage;
        this.store = store;
        this.fence = fence;
        this.files = files;
        this.stages = stages;
        this.probes = probes;
        this.ends = ends;
    }

    /** The encode is over: takes the verdict of a probe run beside it, then readies the probe of the main output. */
    void encoded(Exchange exchange, Job job) throws Exception {
        exchange.setProperty(ENCODE_SECONDS, (System.currentTimeMillis() - ExecStages.started(exchange)) / 1000.0);
        probes.await(exchange, job);
        Path main = mainOutput(exchange, job);
        if (!Files.isRegularFile(main) || Files.size(main) == 0) {
            throw new JobFailure("no_output", "FFmpeg reported success but wrote no " + job.preset().mainOutput() + ".");
        }
        requireWhole(made(exchange, job));
        stages.verify(exchange, job, main, ProbeVerdicts.input(exchange));
    }

    /**
     * Checks the main output against the preset, then readies the probe of its sound where the check could not tell
     * its length ({@value #SOUND_READ}), or else goes on as {@link #soundVerified} does.
     */
    void verified(Exchange exchange, Job job) throws IOException {
        MediaInfo input = ProbeVerdicts.input(exchange);
        String probe = exchange.getIn().getBody(String.class);
        refuse(OutputCheck.problems(job.preset(), input, probe, stages.policy().maxDurationSeconds()));
        SoundCheck.Read sound = SoundCheck.needed(job.preset(), input, mainOutput(exchange, job), probe);
        if (sound != null) {
            exchange.setProperty(SOUND_READ, sound);
            stages.verifySound(exchange, job, sound);
            return;
        }
        publishable(exchange, job);
    }

    /**
     * The main output's sound reaches its end; unless the job was cancelled or taken over meanwhile, the outputs are
     * left for the storage step that publishes them ({@value #FILES}: the files; {@value #OUTPUTS}: what the job will
     * list).
     */
    void soundVerified(Exchange exchange, Job job) throws IOException {
        SoundCheck.Read read = exchange.getProperty(SOUND_READ, SoundCheck.Read.class);
        refuse(read.problems(exchange.getIn().getBody(String.class)));
        exchange.removeProperty(SOUND_READ);
        publishable(exchange, job);
    }

    private static void refuse(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new JobFailure("verification", "Verification failed: " + String.join("; ", problems) + ".");
        }
    }

    private void publishable(Exchange exchange, Job job) throws IOException {
        if (store.standing(job.id()).mustStop()) { // cancelled while the output was verified: it is not published
            ends.cancelled(exchange, job);
            return;
        }
        Attempts.requireHeld(exchange, fence, job.id());
        String attempt = Attempts.of(exchange);
        List<File> made = made(exchange, job);
        exchange.setProperty(FILES, made);
        exchange.setProperty(OUTPUTS, made.stream().map(file -> new Job.Output(file.getName(), file.length(),
                storage.outputKey(job.id(), attempt, file.getName()))).toList());
    }

    private Path mainOutput(Exchange exchange, Job job) {
        return files.workDir(job.id(), Attempts.of(exchange)).resolve(job.preset().mainOutput());
    }

    /** What the attempt made: its work folder's files, but FFmpeg's progress reports. */
    private List<File> made(Exchange exchange, Job job) throws IOException {
        return files.workFiles(job.id(), Attempts.of(exchange), Set.of(FfmpegArguments.PROGRESS_FILE));
    }

    /**
     * Every MP4 file written is whole, and every file a playlist names is there (FFmpeg exits 0 past a write that
     * failed on a full disk: such an attempt is tried again), before any is probed: a ladder's first segment missing
     * failed the probe, and its last one missing or cut was read as a sound that stops, each for good.
     */
    private static void requireWhole(List<File> made) throws IOException {
        Set<String> names = made.stream().map(File::getName).collect(Collectors.toSet());
        for (File file : made) {
            if (Mp4Boxes.named(file.toPath()) && !Mp4Boxes.whole(file.toPath())) {
                throw new CutOutput(file.getName());
            }
            if (HlsPlaylists.named(file.toPath())) {
                for (String named : HlsPlaylists.names(file.toPath())) {
                    if (!names.contains(named)) {
                        throw new CutOutput(file.getName(), named);
                    }
                }
            }
        }
    }

    /**
     * Before each output goes into the object store: a client's cancel stops the storing, judged as the cancel it is
     * (what was stored goes with the job's other objects), rather than once every output is stored.
     *
     * @throws JobFailure when a cancel was asked
     */
    void storing(Job job) {
        if (store.standing(job.id()).mustStop()) {
            throw new JobFailure("internal", "Cancelled while its outputs were stored.");
        }
    }

    /** The local data root's publication: the outputs move (rename) from the attempt's work folder into place. */
    void moveOutputs(Exchange exchange, Job job) throws IOException {
        files.publishWork(job.id(), Attempts.of(exchange), Set.of(FfmpegArguments.PROGRESS_FILE));
    }

    /**
     * Every output is stored whole: records success, listing them, unless another attempt holds the job by now (its
     * own outputs are listed then, never these). What attempts that lost the job stored is removed
     * ({@link AttemptEnds#succeeded}).
     */
    @SuppressWarnings("unchecked")
    void published(Exchange exchange, Job job) {
        List<Job.Output> outputs = exchange.getProperty(OUTPUTS, List.class);
        MediaInfo input = ProbeVerdicts.input(exchange);
        double encodeSeconds = exchange.getProperty(ENCODE_SECONDS, 0.0, Double.class);
        Double speed = input.durationSeconds() != null && encodeSeconds > 0
                ? input.durationSeconds() / encodeSeconds : null;
        String attempt = Attempts.of(exchange);
        files.deleteAttempt(job.id(), attempt); // its outputs are out: nothing is left to see
        ends.succeeded(exchange, job, outputs, speed);
    }
}
