package io.videotranscoder.job;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a part's queue entry is run, and as which attempt of its job: not when its job is gone, over or split again
 * since, nor when the part was counted already; a join begins an attempt of its own ({@link SegmentLedger#beginJoin}),
 * unless a later delivery of its entry began it already.
 */
record PartAdmission(JobStore store, SegmentLedger ledger, PartEnds ends) {

    private static final Logger LOG = LoggerFactory.getLogger(PartAdmission.class);

    /** A part to run: its job as it stands, and the attempt it writes as. */
    record Admitted(Job job, String attempt) {
    }

    /**
     * @param run      the split the part belongs to
     * @param entry    its queue entry's id
     * @param delivery which delivery of the entry this is
     */
    Optional<Admitted> admit(Part part, String run, String entry, long delivery) {
        // One read of the record: a retry clears the run and the attempt in one step, so the attempt read with the
        // part's run is the attempt of that run (never a retried job's empty one).
        Map<String, String> record = store.record(part.job());
        Job job = record.isEmpty() ? null : JobHash.fromHash(record);
        String attempt = record.getOrDefault("attempt", "");
        if (job == null || job.status().terminal() || !run.equals(record.get("splitRun"))) {
            LOG.info("Part {} {} of job {}: the job is gone, over or split again; dropped", part.kind(), part.index(),
                    part.job());
            // Parts nothing else would remove: a job removed while a worker stored one, or a join whose worker died
            // after storing the job's end, before removing them.
            if (job == null || job.status().terminal() && part.kind() == Part.Kind.JOIN) {
                ends.discard(part.job());
            }
            return Optional.empty();
        }
        if (part.kind() != Part.Kind.JOIN) {
            if (ledger.counted(part, run)) {
                // Its worker died after counting it, before its entry was acknowledged: not to be done (or given up)
                // again.
                LOG.info("Part {} {} of job {} is stored and counted already; dropped", part.kind(), part.index(),
                        job.id());
                return Optional.empty();
            }
            return Optional.of(new Admitted(job, attempt));
        }
        Optional<String> joining = ledger.beginJoin(job.id(), run, entry, delivery);
        if (joining.isEmpty()) {
            LOG.info("The join of job {}: the job moved on, or a later delivery of its entry runs it; dropped",
                    job.id());
        }
        return joining.map(token -> new Admitted(job, token));
    }
}
