package io.videotranscoder.job;

import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A part of a split job stored whole counts ({@link SegmentLedger}), and the job's progress moves by its share. */
class PartCount {

    private static final Logger LOG = LoggerFactory.getLogger(PartCount.class);

    private final SegmentLedger ledger;
    private final AttemptFence fence;
    private final PartEnds ends;

    PartCount(SegmentLedger ledger, AttemptFence fence, PartEnds ends) {
        this.ledger = ledger;
        this.fence = fence;
        this.ends = ends;
    }

    /**
     * Whether a part just encoded is still its job's to store: a job retried meanwhile was split anew, and its new
     * run's parts have the same names (this part's plan may differ: another worker's segment length). A part that is
     * not stays where it was encoded, which goes with the part's folder.
     *
     * @param run the split run the part belongs to
     */
    boolean wanted(Job job, Part part, String run) {
        if (run.equals(ledger.run(job.id()).orElse(null))) {
            return true;
        }
        LOG.info("Job {}: {} belongs to an earlier run of the job; not stored", job.id(), part.fileName());
        return false;
    }

    /** @param run the split run the part belongs to */
    void stored(Exchange exchange, Job job, Part part, String run) {
        SegmentLedger.Counted counted = ledger.stored(part, run);
        switch (counted.count()) {
            case COUNTED, JOIN_QUEUED -> {
                try {
                    fence.progress(job.id(), Attempts.of(exchange), Map.of("progress",
                            Integer.toString(counted.percent())));
                } catch (AttemptLost e) {
                    LOG.debug("Job {}: progress not written, {}", job.id(), e.getMessage());
                }
            }
            case STALE -> {
                // The job ended (its parts then go, this one too, whoever holds the entry) or was split again.
                ends.stale(job, part);
                Attempts.requireLease(exchange, job.id()); // taken over: its new owner acknowledges it
            }
            case AGAIN -> LOG.info("Job {}: part {} was counted before; stored again", job.id(), part.fileName());
        }
    }
}
