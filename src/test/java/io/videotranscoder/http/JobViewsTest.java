package io.videotranscoder.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.preset.Preset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The original API's status reply keeps the original service's fields and types, whatever the job holds. */
class JobViewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Preset PRESET = new Preset("h264-720p", null, "mp4",
            new Preset.Video("libx264", "1000k", null, null, 1280, 720, true), null, null, null, null, null);

    private static Job job(JobStatus status, Job.Progress progress, String error) {
        return new Job("58c243b8-e30a-474e-b707-9ef819067e7b", status, "api", "default", "clip.mp4", PRESET,
                "input.mp4", 10, Instant.EPOCH, null, null, 1, error, "vm", List.of(new Job.Output("output.mp4", 5)),
                progress, null);
    }

    private static JsonNode status(Job job) {
        return JSON.valueToTree(JobViews.legacyStatus(job));
    }

    @Test
    void status_of_a_running_job_is_job_id_status_and_a_numeric_progress() {
        JsonNode body = status(job(JobStatus.RUNNING, new Job.Progress(42, 1.5, 30.0, 3L), null));

        assertEquals(List.of("job_id", "status", "progress"), fieldNames(body));
        assertTrue(body.get("progress").isInt(), body.toString());
        assertEquals(42, body.get("progress").intValue());
        assertEquals("running", body.get("status").textValue());
    }

    @Test
    void status_of_a_succeeded_job_adds_only_its_output_url() {
        JsonNode body = status(job(JobStatus.SUCCEEDED, new Job.Progress(100, null, null, null), null));

        assertEquals(Map.of("job_id", "58c243b8-e30a-474e-b707-9ef819067e7b", "status", "succeeded", "progress", 100,
                "output_url", "/jobs/58c243b8-e30a-474e-b707-9ef819067e7b/output"),
                JSON.convertValue(body, Map.class));
    }

    @Test
    void status_of_a_failed_job_adds_only_its_error() {
        JsonNode body = status(job(JobStatus.FAILED, new Job.Progress(10, null, null, null), "not a video"));

        assertEquals(List.of("job_id", "status", "progress", "error"), fieldNames(body));
        assertEquals("not a video", body.get("error").textValue());
    }

    @Test
    void status_of_a_job_queued_again_hides_the_last_attempts_error() {
        JsonNode body = status(job(JobStatus.QUEUED, Job.Progress.NONE, "stalled"));

        assertEquals(List.of("job_id", "status", "progress"), fieldNames(body));
        assertEquals(0, body.get("progress").intValue());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
