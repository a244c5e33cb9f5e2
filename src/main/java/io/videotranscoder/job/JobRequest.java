package io.videotranscoder.job;

import java.nio.file.Path;

import io.videotranscoder.preset.Preset;

/**
 * A received file and what to make of it, before it becomes a job.
 *
 * @param callbackUrl where the job's status changes are sent (checked already); null for none
 */
public record JobRequest(String source, Path file, String originalName, Preset preset, String callbackUrl) {

    public JobRequest(String source, Path file, String originalName, Preset preset) {
        this(source, file, originalName, preset, null);
    }

    public JobRequest withCallbackUrl(String url) {
        return new JobRequest(source, file, originalName, preset, url);
    }
}
