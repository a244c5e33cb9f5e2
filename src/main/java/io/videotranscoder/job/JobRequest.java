package io.videotranscoder.job;

import java.nio.file.Path;

import io.videotranscoder.preset.Preset;

/**
 * A received file and what to make of it, before it becomes a job.
 *
 * @param file        the received file; null for an upload streamed into the object store
 * @param callbackUrl where the job's status changes are sent (checked already); null for none
 * @param streamed    the upload streamed into the object store instead of a file; null for a file
 * @param id          the job's id when the caller chose it (a resumable upload's own, so that its job is found again
 *                    after a process died before it was noted on the upload); null for a new one
 * @param copied      whether the job's folder gets a copy of the file, which stays where it is (an inbox file kept on
 *                    the inbox's mount), rather than the file itself
 */
public record JobRequest(String source, Path file, String originalName, Preset preset, String callbackUrl,
        StreamedInput streamed, String id, boolean copied) {

    public JobRequest(String source, Path file, String originalName, Preset preset) {
        this(source, file, originalName, preset, null, null, null, false);
    }

    /** An upload that went straight into the object store. */
    public JobRequest(StreamedInput streamed, String originalName, Preset preset) {
        this("api", null, originalName, preset, null, streamed, null, false);
    }

    public JobRequest withCallbackUrl(String url) {
        return new JobRequest(source, file, originalName, preset, url, streamed, id, copied);
    }

    public JobRequest withId(String jobId) {
        return new JobRequest(source, file, originalName, preset, callbackUrl, streamed, jobId, copied);
    }

    /** The request for a copy of {@code original} in a job named {@code jobId}, the original staying where it is. */
    public JobRequest copyOf(Path original, String jobId) {
        return new JobRequest(source, original, originalName, preset, callbackUrl, streamed, jobId, true);
    }
}
