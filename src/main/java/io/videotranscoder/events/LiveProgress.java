package io.videotranscoder.events;

import java.time.Instant;

/**
 * A running job's progress as its hash holds it, read when its worker wrote it: more often than the log records it.
 *
 * @param speed media seconds per second, null until FFmpeg reports it (so are {@code fps} and {@code eta})
 */
public record LiveProgress(String job, String tenant, int percent, Double speed, Double fps, Long eta, Instant at) {
}
