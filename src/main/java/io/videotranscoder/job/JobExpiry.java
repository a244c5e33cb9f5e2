package io.videotranscoder.job;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.storage.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/** Housekeeping's expiry of the jobs past their retention. */
final class JobExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(JobExpiry.class);
    private static final int BATCH = 500;
    /** At most this many batches of jobs are expired in a run (10 000 jobs: 33 a second at the default period). */
    private static final int MOST_BATCHES = 20;

    /**
     * Removals the object store failed in a row that end the run: a store away fails each (after its call's limit),
     * while one job's failure alone (its objects slow to list) is passed over like any other.
     */
    static final int STORE_FAILURES_TO_STOP = 3;

    private final JobStore store;
    private final JobIndexes indexes;
    private final JobRemoval removal;
    private final int batch;
    private final int mostBatches;
    /**
     * Per index, how many jobs at its front the last run kept: a run that looked at as many jobs as it may ends there,
     * and the next one begins after them, so that jobs kept at the front (more than a run looks at, failing to be
     * removed) never hold the others back for good. (A place by position: jobs removed meanwhile before it move the
     * next run's start past a few jobs, which the run after the end looks at.)
     */
    private final Map<String, Integer> resumeAt = new ConcurrentHashMap<>();
    private int storeFailures;

    JobExpiry(JobStore store, JobIndexes indexes, JobRemoval removal) {
        this(store, indexes, removal, BATCH, MOST_BATCHES);
    }

    /** @param batch how many jobs are read at a time; {@code mostBatches}: how many batches a run reads at most */
    JobExpiry(JobStore store, JobIndexes indexes, JobRemoval removal, int batch, int mostBatches) {
        this.store = store;
        this.indexes = indexes;
        this.removal = removal;
        this.batch = batch;
        this.mostBatches = mostBatches;
    }

    /**
     * Removes the files and records of the jobs of an index (all, or one status) past {@code age} that have ended, an
     * inbox original handed back first; oldest first (from where the last run ended), batch after batch up to
     * {@link #MOST_BATCHES}. Those it keeps (still running or queued, or failing to be removed) are passed over, so
     * that they never hold up the jobs after them; an index entry whose record is gone is dropped.
     */
    void expire(JobStatus index, Instant now, Duration age) {
        storeFailures = 0;
        String key = String.valueOf(index);
        int kept = resumeAt.getOrDefault(key, 0);
        for (int read = 0; read < mostBatches; read++) {
            List<String> ids = indexes.createdBefore(index, now.minus(age), kept, batch);
            for (String id : ids) {
                // Passed over: still in this index (a job retried meanwhile has left the failed jobs' one).
                kept += expired(id, index, now.minus(age), age) || !indexes.indexed(index, id) ? 0 : 1;
                resumeAt.put(key, kept);
            }
            if (ids.size() < batch) {
                resumeAt.remove(key); // the end: the next run begins with the oldest again
                return;
            }
        }
    }

    /**
     * Whether the job is gone from the index now: removed, or a record no longer there. A job is kept for its age from
     * its last end, not from its submission: the index is by submission, and a job retried (or queued) long after was
     * removed within minutes of its end, before its client could read it.
     *
     * @param index  the status swept (null: any end), which the job must still have as it is removed
     * @param before the end before which a job is past its retention
     */
    private boolean expired(String id, JobStatus index, Instant before, Duration age) {
        Optional<Job> found = store.find(id);
        if (found.isEmpty()) {
            store.delete(id); // an index entry whose record is gone (removed by hand, or by a Redis of old)
            return true;
        }
        Job job = found.get();
        if (!job.status().terminal() || job.finishedAt() != null && !job.finishedAt().isBefore(before)) {
            return false;
        }
        try {
            if (removal.remove(id, index, job.finishedAt())) { // else retried meanwhile: it ended anew, or not yet
                storeFailures = 0;
                LOG.info("Job {} expired ({} old): its files and record are removed", id, age);
                return true;
            }
        } catch (JedisException e) {
            throw e; // Redis away: the run ends, and the next one tries again
        } catch (IOException | RuntimeException e) { // the others' expiry and the run's other steps go on
            storeFailures = StoreFailures.passing(e).isPresent() ? storeFailures + 1 : 0;
            if (storeFailures >= STORE_FAILURES_TO_STOP && e instanceof RuntimeException away) {
                throw away; // the object store away: each removal would wait for it; the next run tries again
            }
            LOG.warn("Job {} expired, but could not be removed ({}): kept until the next run", id, e.toString());
        }
        return false;
    }
}
