package io.videotranscoder.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.Outcome;
import org.junit.jupiter.api.Test;

/** Each outcome counts where the dashboards look for it, on the series the counters at zero start. */
class OutcomeMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final OutcomeMeters meters = new OutcomeMeters(registry);

    @Test
    void a_success_counts_its_bytes_and_speed_by_preset() {
        meters.record(new Outcome("id", JobStatus.SUCCEEDED, "web-720p", 3.5, null, 1000, 4.0), "transcoder");
        assertEquals(1, registry.get("transcoder.jobs.finished").tags("camelContext", "transcoder", "outcome",
                "succeeded", "preset", "web-720p").counter().count());
        assertEquals(3.5, registry.get("transcoder.job.duration.seconds").tags("outcome", "succeeded").summary()
                .totalAmount());
        assertEquals(1000, registry.get("transcoder.bytes.out").tags("camelContext", "transcoder").counter().count());
        assertEquals(4.0, registry.get("transcoder.encode.speed").tags("preset", "web-720p").summary().totalAmount());
        assertNull(registry.find("transcoder.jobs.failed").counter());
    }

    @Test
    void a_failure_counts_its_cause_and_no_bytes() {
        meters.record(new Outcome("id", JobStatus.FAILED, "web-720p", 1, "not_a_video", 0, null), "transcoder");
        assertEquals(1, registry.get("transcoder.jobs.failed").tags("camelContext", "transcoder", "reason",
                "not_a_video").counter().count());
        assertEquals(1, registry.get("transcoder.jobs.finished").tags("outcome", "failed").counter().count());
        assertNull(registry.find("transcoder.bytes.out").counter());
        assertNull(registry.find("transcoder.encode.speed").summary());
    }

    @Test
    void a_cancel_counts_only_as_finished() {
        meters.record(new Outcome("id", JobStatus.CANCELLED, "web-720p", 2, null, 0, null), "transcoder");
        assertEquals(1, registry.get("transcoder.jobs.finished").tags("outcome", "cancelled").counter().count());
        assertEquals(2, registry.getMeters().size());
    }
}
