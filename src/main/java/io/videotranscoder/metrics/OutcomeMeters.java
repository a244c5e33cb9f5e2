package io.videotranscoder.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.job.Outcome;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerConstants;

/**
 * Records the meters of a job's outcome: how many finished and how long they took, by outcome and preset; failures
 * by cause; bytes produced and encode speed of the successes. Tags are low-cardinality: never a job id. Each meter
 * carries the {@code camelContext} tag, as {@code micrometer:} endpoints and {@link TranscoderMetrics}'s counters at
 * zero do, so that all meet on one series.
 */
public class OutcomeMeters {

    private final MeterRegistry registry;

    public OutcomeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The outcome this exchange stored (property {@value JobWorker#OUTCOME}), if any. */
    public void record(Exchange exchange) {
        Outcome outcome = exchange.getProperty(JobWorker.OUTCOME, Outcome.class);
        if (outcome != null) {
            record(outcome, exchange.getContext().getName());
        }
    }

    void record(Outcome outcome, String camelContext) {
        Tags context = Tags.of(MicrometerConstants.CAMEL_CONTEXT_TAG, camelContext);
        Tags byOutcome = context.and("outcome", outcome.status().value(), "preset", outcome.preset());
        Counter.builder("transcoder.jobs.finished").tags(byOutcome).register(registry).increment();
        DistributionSummary.builder("transcoder.job.duration.seconds").tags(byOutcome).register(registry)
                .record(outcome.jobSeconds());
        if (outcome.status() == JobStatus.FAILED) {
            Counter.builder("transcoder.jobs.failed").tags(context.and("reason", outcome.failure())).register(registry)
                    .increment();
        } else if (outcome.status() == JobStatus.SUCCEEDED) {
            Counter.builder("transcoder.bytes.out").tags(context).register(registry).increment(outcome.bytesOut());
            if (outcome.encodeSpeed() != null) {
                DistributionSummary.builder("transcoder.encode.speed").tags(context.and("preset", outcome.preset()))
                        .register(registry).record(outcome.encodeSpeed());
            }
        }
    }
}
