package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.preset.Preset;

/**
 * One transcoding job as stored in its Redis hash.
 *
 * @param source       where it came from: {@code api} or {@code inbox}
 * @param tenant       whose it is: the tenant of the key that submitted it, or the inbox's
 * @param originalName the client's file name: metadata only, never part of a path
 * @param preset       what to produce, as resolved when the job was accepted
 * @param inputFile    the server's name of the input inside the job folder
 * @param outputs      the files produced, once succeeded; the preset names the main one
 * @param callbackUrl  where its status changes are sent as webhooks; null for none (never shown: it may hold a token)
 * @param segments     a split job's segments done and in all; null for a job that is not split
 */
public record Job(String id, JobStatus status, String source, String tenant, String originalName, Preset preset,
        String inputFile, long inputSize, Instant createdAt, Instant startedAt, Instant finishedAt, int attempts,
        String error, String worker, List<Output> outputs, Progress progress, MediaInfo input, String callbackUrl,
        Segments segments) {

    /** A split job's video segments: how many are stored, of how many (see {@code SplitPlan}). */
    public record Segments(int done, int total) {
    }

    /** A job that is not split. */
    public Job(String id, JobStatus status, String source, String tenant, String originalName, Preset preset,
            String inputFile, long inputSize, Instant createdAt, Instant startedAt, Instant finishedAt, int attempts,
            String error, String worker, List<Output> outputs, Progress progress, MediaInfo input, String callbackUrl) {
        this(id, status, source, tenant, originalName, preset, inputFile, inputSize, createdAt, startedAt, finishedAt,
                attempts, error, worker, outputs, progress, input, callbackUrl, null);
    }

    /**
     * A produced file, by its name inside the job folder.
     *
     * @param key where the storage keeps it; null for {@code <job id>/<name>}
     */
    public record Output(String name, long size, String key) {

        public Output(String name, long size) {
            this(name, size, null);
        }

        /** The storage's key of this output of job {@code id}. */
        public String key(String id) {
            return key != null ? key : id + "/" + name;
        }
    }

    /** How far a running job is: percent of the input's duration, speed as a multiple of real time. */
    public record Progress(int percent, Double speed, Double fps, Long etaSeconds) {
        public static final Progress NONE = new Progress(0, null, null, null);
    }

    /** A job without a callback URL. */
    public Job(String id, JobStatus status, String source, String tenant, String originalName, Preset preset,
            String inputFile, long inputSize, Instant createdAt, Instant startedAt, Instant finishedAt, int attempts,
            String error, String worker, List<Output> outputs, Progress progress, MediaInfo input) {
        this(id, status, source, tenant, originalName, preset, inputFile, inputSize, createdAt, startedAt, finishedAt,
                attempts, error, worker, outputs, progress, input, null);
    }

    public static Job queued(String id, String source, String tenant, String originalName, Preset preset,
            String inputFile, long inputSize, Instant now) {
        return new Job(id, JobStatus.QUEUED, source, tenant, originalName, preset, inputFile, inputSize, now, null,
                null, 0, null, null, List.of(), Progress.NONE, null);
    }

    /** The storage's key of the input. */
    public String inputKey() {
        return id + "/" + inputFile;
    }

    public Job withCallbackUrl(String url) {
        return new Job(id, status, source, tenant, originalName, preset, inputFile, inputSize, createdAt, startedAt,
                finishedAt, attempts, error, worker, outputs, progress, input, url);
    }

    /** As read before it ended {@code status}, where its record is gone since (removed by another request). */
    public Job withStatus(JobStatus status) {
        return new Job(id, status, source, tenant, originalName, preset, inputFile, inputSize, createdAt, startedAt,
                finishedAt, attempts, error, worker, outputs, progress, input, callbackUrl, segments);
    }

    public String mainOutput() {
        return outputs.isEmpty() ? null : preset.mainOutput();
    }
}
