package io.videotranscoder.job;

import java.nio.file.Path;

import io.videotranscoder.preset.Preset;

/** A received file and what to make of it, before it becomes a job. */
public record JobRequest(String source, Path file, String originalName, Preset preset) {
}
