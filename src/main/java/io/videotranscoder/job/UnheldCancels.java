package io.videotranscoder.job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    private final JobStore store;
    private final AttemptEnds ends;
    private final PartFiles parts;
    private final Storage storage;
    private final Clock clock;
    private final List<GroupBacklog> queues;
    private final AbandonedEntries abandoned;
    private final Outage outage = new Outage(LOG, "the sweep of cancels no worker holds");

    /** @param queues the workers' groups of the jobs' queue and of the parts' */
    public UnheldCancels(JobStore store, JobFiles files, Storage storage, Clock clock, Duration lease,
            List<GroupBacklog> queues) {
        this.store = store;
        this.ends = new AttemptEnds(new JobTransitions(store), files, storage, clock, new RetryPolicy(Duration.ZERO));
        this.parts = new PartFiles(files);
        this.storage = storage;
        this.clock = clock;
        this.queues = queues;
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
            List<String> running;
            int skip = 0;
            do {
                running = new JobIndexes(store).createdBefore(JobStatus.RUNNING, clock.instant(), skip, BATCH);
                skip += running.size();
                running.forEach(id -> sweep(id, stored));
            } while (running.size() == BATCH);
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
        if (job == null || job.status() != JobStatus.RUNNING || held(sweeping).contains(id)) {
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
        LOG.info("Job {} cancelled: no worker held it, and its files were removed", id);
        return Optional.of(Outcome.of(job, JobStatus.CANCELLED, clock.instant(), null, 0, null));
    }

    /** The jobs the entries delivered name, but those their workers abandoned when {@code sweeping}. */
    private Set<String> held(boolean sweeping) {
        List<GroupBacklog.Pending> delivered = new ArrayList<>();
        queues.forEach(queue -> delivered.addAll(queue.pending("job")));
        Map<String, Boolean> gone = sweeping ? abandoned.look(delivered) : Map.of();
        Set<String> held = new HashSet<>();
        delivered.stream().filter(entry -> !gone.getOrDefault(entry.id(), false))
                .forEach(entry -> held.add(entry.value()));
        return held;
    }
}
