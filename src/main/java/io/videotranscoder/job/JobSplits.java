package io.videotranscoder.job;

import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether a job runs as parts, now that its input is known, and the queueing of its parts. */
record JobSplits(JobStore store, SplitPlan plan, SegmentLedger ledger, JobFiles files) {

    private static final Logger LOG = LoggerFactory.getLogger(JobSplits.class);
    private static final String PARTS = "transcoderParts";

    /** Whether the job is split into parts ({@value JobWorker#SPLIT}), and which. */
    void plan(Exchange exchange, Job job) {
        List<Part> parts = plan.parts(job, store.splitAllowed(job.id()), ProbeVerdicts.input(exchange));
        exchange.setProperty(JobWorker.SPLIT, !parts.isEmpty());
        exchange.setProperty(PARTS, parts);
    }

    /**
     * Queues the parts, once per run of the job (see {@link SegmentLedger#split}). The attempt's work folder is of no
     * further use.
     */
    @SuppressWarnings("unchecked")
    void split(Exchange exchange, Job job) {
        String attempt = Attempts.of(exchange);
        if (!ledger.split(job.id(), attempt, exchange.getProperty(PARTS, List.class))) {
            LOG.info("Job {} was split before, or another attempt holds it now: no part queued", job.id());
        }
        files.deleteAttempt(job.id(), attempt);
    }
}
