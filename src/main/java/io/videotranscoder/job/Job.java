package io.videotranscoder.job;

import java.time.Instant;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.TranscodeOptions;

/**
 * One transcoding job as stored in its Redis hash.
 *
 * @param source       where it came from: {@code api} or {@code inbox}
 * @param originalName the client's file name: metadata only, never part of a path
 * @param inputFile    the server's name of the input inside the job folder
 * @param output       the main output's file name inside the job folder, once succeeded
 */
public record Job(String id, JobStatus status, String source, String originalName, String preset,
        TranscodeOptions options, String inputFile, long inputSize, Instant createdAt, Instant startedAt,
        Instant finishedAt, int attempts, String error, String worker, String output, Long outputSize, int progress,
        MediaInfo input) {

    public static Job queued(String id, String source, String originalName, String preset, TranscodeOptions options,
            String inputFile, long inputSize, Instant now) {
        return new Job(id, JobStatus.QUEUED, source, originalName, preset, options, inputFile, inputSize, now, null,
                null, 0, null, null, null, null, 0, null);
    }
}
