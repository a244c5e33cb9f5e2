package io.videotranscoder.job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.queue.AbandonedEntries;
import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.redis.Outage;
import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Carries out a client's cancel of a running job that no worker holds, rather than leaving it to the next worker that
 * takes one of its entries. At the request, a job none of whose entries (on the jobs' queue or the parts') is
 * delivered: a split job whose parts all wait behind other jobs'. Housekeeping's sweep also counts as unheld the
 * entries their workers abandoned ({@link AbandonedEntries}: a worker died, or handed its entry back, and every other
 * is busy). Every worker reads the cancel only after its entry is delivered (the claim, a part's start, the encode's
 * watcher), and the cancel is asked before the job's entries are looked at (for each job anew): a worker that takes
 * one afterwards finds the cancel and stops, and the job's end is stored once, by whoever comes first.
 */
public class UnheldCancels {

    private static final Logger LOG = LoggerFactory.getLogger(UnheldCancels.class);
    private static final int BATCH = 500;
    /** The group member that takes over the entries it judges abandoned (removed once gone, as any member). */
    private static final String TAKER = "housekeeping";

    private final JobStore store;
    private final JobIndexes indexes;
    private final AttemptEnds ends;
    private final PartFiles parts;
    private final Storage storage;
    private final Clock clock;
    private final List<GroupBacklog> queues;
    private final Duration lease;
    private final AbandonedEntries abandoned;
    private final Outage outage = new Outage(LOG, "the sweep of cancels no worker holds");

    /** @param queues the workers' groups of the jobs' queue and of the parts' */
    public UnheldCancels(JobStore store, JobFiles files, Storage storage, Clock clock, Duration lease,
            List<GroupBacklog> queues) {
        this.store = store;
        this.indexes = new JobIndexes(store);
        this.ends = new AttemptEnds(new JobTransitions(store), files, storage, clock, new RetryPolicy(Duration.ZERO));
        this.parts = new PartFiles(files);
        this.storage = storage;
        this.clock = clock;
        this.queues = queues;
        this.lease = lease;
        this.abandoned = new AbandonedEntries(lease);
    }

    /**
     * Right after the cancel of job {@code id} was asked: its outcome, if no worker holds it and this stored it. Where
     * Redis or the store fails meanwhile, the cancel stays asked, for a worker or the sweep to carry out.
     */
    public Optional<Outcome> cancel(String id) {
        try {
            return carryOut(id, false);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: its cancel is asked, and is left to its worker or to housekeeping: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Every running job whose cancel was asked and that no worker holds (a worker that held it at the request died
     * since): the outcomes stored here. Each process does it: the first that finds a job stores its cancel.
     */
    public List<Outcome> sweep() {
        List<Outcome> stored = new ArrayList<>();
        try {
            // Every page is read first: a job cancelled here leaves the index, and a later page would skip one.
            List<String> running = new ArrayList<>();
            List<String> page;
            do {
                page = indexes.createdBefore(JobStatus.RUNNING, clock.instant(), running.size(), BATCH);
                running.addAll(page);
            } while (page.size() == BATCH);
            running.forEach(id -> sweep(id, stored));
            outage.reached();
        } catch (JedisException e) {
            outage.failed(e); // the rest in the next period
        }
        return stored;
    }

    private void sweep(String id, List<Outcome> stored) {
        try {
            if (store.standing(id).mustStop()) {
                carryOut(id, true).ifPresent(stored::add);
            }
        } catch (JedisException e) {
            throw e;
        } catch (RuntimeException e) { // the others are still carried out, and counted
            LOG.warn("Job {}: its cancel could not be carried out now: {}", id, e.toString());
        }
    }

    /** @param sweeping whether entries their workers abandoned count as unheld */
    private Optional<Outcome> carryOut(String id, boolean sweeping) {
        Job job = store.find(id).orElse(null);
        String attempt = store.attempt(id).orElse("");
        if (job == null || job.status() != JobStatus.RUNNING) {
            return Optional.empty();
        }
        List<GroupBacklog.Pending> delivered = new ArrayList<>();
        queues.forEach(queue -> delivered.addAll(queue.pending("job")));
        Map<String, Boolean> gone = sweeping ? abandoned.look(delivered) : Map.of();
        List<GroupBacklog.Pending> entries = delivered.stream().filter(entry -> id.equals(entry.value())).toList();
        // Each abandoned entry is taken over first: should its worker come back (a frozen JVM), its renewal finds the
        // lease lost, and it stops its FFmpeg; one renewed meanwhile is its worker's still.
        if (entries.stream().anyMatch(entry -> !gone.getOrDefault(entry.id(), false) || !takeOver(entry))) {
            return Optional.empty();
        }
        parts.deleteParts(id);
        try {
            storage.deleteParts(id);
        } catch (RuntimeException e) { // an object store away: the parts' objects go with the job, at its expiry
            LOG.warn("Job {}: its parts' stored objects could not all be removed: {}", id, e.toString());
        }
        try {
            if (!ends.cancel(job, attempt)) {
                return Optional.empty(); // a worker stored it first
            }
        } catch (AttemptLost e) {
            return Optional.empty(); // a worker took the job with a new attempt meanwhile: it finds the cancel
        }
        try {
            entries.forEach(entry -> queue(entry).acknowledge(entry.entryId(), TAKER)); // the job is over
        } catch (RuntimeException e) { // stored and counted all the same: a worker that claims them drops them
            LOG.debug("Job {}: its entries taken over were not acknowledged: {}", id, e.toString());
        }
        LOG.info("Job {} cancelled: no worker held it, and its files were removed", id);
        return Optional.of(Outcome.of(job, JobStatus.CANCELLED, clock.instant(), null, 0, null));
    }

    private boolean takeOver(GroupBacklog.Pending entry) {
        return queue(entry).takeOver(entry.entryId(), TAKER, lease);
    }

    private GroupBacklog queue(GroupBacklog.Pending entry) {
        return queues.stream().filter(queue -> queue.key().equals(entry.key())).findFirst().orElseThrow();
    }
}
