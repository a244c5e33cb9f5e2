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
 * part's start, the encode's watcher), and the cancel is asked before the entries are looked at: a worker that takes
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

    /** Right after the cancel of job {@code id} was asked: its outcome, if no worker holds it and this stored it. */
    public Optional<Outcome> cancel(String id) {
        return cancel(id, held());
    }

    /**
     * Every running job whose cancel was asked and that no worker holds (a worker that held it at the request died
     * since): the outcomes stored here. Each process does it, as each removes its own copies of the files.
     */
    public List<Outcome> sweep() {
        List<Outcome> stored = new ArrayList<>();
        try {
            Set<String> held = null;
            for (String id : new JobIndexes(store).createdBefore(JobStatus.RUNNING, clock.instant(), 0, BATCH)) {
                if (store.standing(id).mustStop()) {
                    held = held == null ? held() : held; // read after the cancel was, as above
                    cancel(id, held).ifPresent(stored::add);
                }
            }
            outage.reached();
        } catch (JedisException e) {
            outage.failed(e); // done in the next period
        }
        return stored;
    }

    private Optional<Outcome> cancel(String id, Set<String> held) {
        Job job = store.find(id).orElse(null);
        if (job == null || job.status() != JobStatus.RUNNING || held.contains(id)) {
            return Optional.empty();
        }
        parts.deleteParts(id);
        storage.deleteParts(id);
        if (!ends.cancel(job, store.attempt(id).orElse(""))) {
            return Optional.empty(); // a worker stored it first, or took the job with a new attempt meanwhile
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
