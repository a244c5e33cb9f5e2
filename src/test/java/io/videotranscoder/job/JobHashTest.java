package io.videotranscoder.job;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A job as Redis stores it: its fields and the probe's facts read back as they were written. */
class JobHashTest {

    /**
     * Every fact of the probe comes back, the streams' own lengths and the picture's base rate too: a split job's
     * join verifies its output against them (its picture and sound were not checked without them).
     */
    @Test
    void the_probes_facts_come_back_whole() {
        Job job = new Job("0b0c8a4e-8f5e-4c53-9d5e-2f8f6f1b9a10", JobStatus.RUNNING, "api", "default", "clip.mp4",
                TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1234, Instant.parse("2026-12-04T18:00:00Z"), null,
                null, 1, null, "worker-1", List.of(), new Job.Progress(10, null, null, null), null, null, null);
        MediaInfo input = new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 12.5, "h264", 640, 360, 25.0, "aac", 2, 0.08, 0.0,
                12.4, 12.5, 25.0);
        Map<String, String> hash = new HashMap<>(JobHash.toHash(job));
        hash.putAll(JobHash.mediaFields(input));

        assertEquals(input, JobHash.fromHash(hash).input());
    }
}
