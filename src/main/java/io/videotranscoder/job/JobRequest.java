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
 */
public record JobRequest(String source, Path file, String originalName, Preset preset, String callbackUrl,
        StreamedInput streamed, String id) {

    public JobRequest(String source, Path file, String originalName, Preset preset) {
        this(source, file, originalName, preset, null, null, null);
    }

    /** An upload that went straight into the object store. */
    public JobRequest(StreamedInput streamed, String originalName, Preset preset) {
        this("api", null, originalName, preset, null, streamed, null);
    }

    public JobRequest withCallbackUrl(String url) {
        return new JobRequest(source, file, originalName, preset, url, streamed, id);
    }

    public JobRequest withId(String jobId) {
        return new JobRequest(source, file, originalName, preset, callbackUrl, streamed, jobId);
    }
}
