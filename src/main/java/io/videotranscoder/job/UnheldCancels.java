package io.videotranscoder.job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.redis.Outage;
import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Carries out a client's cancel of a running job that no worker holds, rather than leaving it to the next worker that
 * takes one of its entries: a split job whose parts wait behind other jobs, a job handed back or whose worker died
 * while every worker is busy. Held means an entry of the job, on the jobs' queue or the parts', delivered to a member
 * that renewed it within the lease. Every worker reads the cancel only after its entry is delivered (the claim, a
 * part's start, the encode's watcher), and the cancel is asked before the job's entries are looked at (for each job
 * anew): a worker that takes one afterwards finds the cancel and stops, and the job's end is stored once, by whoever
 * comes first.
 */
public class UnheldCancels {

    private static final Logger LOG = LoggerFactory.getLogger(UnheldCancels.class);
    private static final int BATCH = 500;

    private final JobStore store;
    private final AttemptEnds ends;
    private final PartFiles parts;
    private final Storage storage;
    private final Clock clock;
    private final Duration lease;
    private final List<GroupBacklog> queues;
    private final Outage outage = new Outage(LOG, "the sweep of cancels no worker holds");

    /** @param queues the workers' groups of the jobs' queue and of the parts' */
    public UnheldCancels(JobStore store, JobFiles files, Storage storage, Clock clock, Duration lease,
            List<GroupBacklog> queues) {
        this.store = store;
        this.ends = new AttemptEnds(new JobTransitions(store), files, storage, clock, new RetryPolicy(Duration.ZERO));
        this.parts = new PartFiles(files);
        this.storage = storage;
        this.clock = clock;
        this.lease = lease;
        this.queues = queues;
    }

    /**
     * Right after the cancel of job {@code id} was asked: its outcome, if no worker holds it and this stored it. Where
     * Redis or the store fails meanwhile, the cancel stays asked, for a worker or the sweep to carry out.
     */
    public Optional<Outcome> cancel(String id) {
        try {
            return carryOut(id);
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
            for (String id : new JobIndexes(store).createdBefore(JobStatus.RUNNING, clock.instant(), 0, BATCH)) {
                try {
                    if (store.standing(id).mustStop()) {
                        carryOut(id).ifPresent(stored::add);
                    }
                } catch (JedisException e) {
                    throw e;
                } catch (RuntimeException e) { // the others are still carried out, and counted
                    LOG.warn("Job {}: its cancel could not be carried out now: {}", id, e.toString());
                }
            }
            outage.reached();
        } catch (JedisException e) {
            outage.failed(e); // the rest in the next period
        }
        return stored;
    }

    private Optional<Outcome> carryOut(String id) {
        Job job = store.find(id).orElse(null);
        String attempt = store.attempt(id).orElse("");
        if (job == null || job.status() != JobStatus.RUNNING || held().contains(id)) {
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

    private Set<String> held() {
        Set<String> held = new HashSet<>();
        queues.forEach(queue -> held.addAll(queue.held("job", lease)));
        return held;
    }
}
