package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.queue.GroupMembers;
import io.videotranscoder.queue.StreamGroup;
import io.videotranscoder.redis.Outage;
import io.videotranscoder.redis.RedisLock;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.storage.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What no request path can do: forget finished jobs past their retention (files and records), remove what a crash
 * left behind (uploads that never finished), and queue again a job that is queued with no entry (its entry lost, as a
 * Redis restored from an older snapshot can lose it: a new or retried job's record and entry are one write). One
 * instance does it per period (a lock in Redis).
 * It keeps the queues countable: the workers' groups of the jobs and of the parts exist before any worker
 * (autoscalers read their lag, and the gauges would be unknown), and the entries acknowledged since the last run are
 * trimmed from the stream, and from the parts' (split jobs').
 * It also removes what workers that lost a job or were replaced leave: the work folders of attempts that no longer
 * hold their job, and the members of either stream's group of workers gone for long.
 */
public class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private static final int BATCH = 500;
    /**
     * Vert.x removes the files of requests that end, even badly; what is left is a crash's. An upload writes its file
     * continuously, so one untouched for an hour is not being written.
     */
    private static final Duration ORPHAN_UPLOAD_AGE = Duration.ofHours(1);
    /** Longer than storing a job and queueing it takes, by far. */
    private static final Duration UNQUEUED_AGE = Duration.ofMinutes(1);
    /** A member of the group not heard of for this many leases and holding no job is a worker gone (or renamed). */
    private static final int GONE_AFTER_LEASES = 10;

    private final JobStore store;
    private final RedisLock lock;
    private final JobFiles files;
    private final UnifiedJedis redis;
    private final String stream;
    private final StreamGroup group;
    private final StreamGroup partsGroup;
    private final GroupBacklog backlog;
    private final GroupBacklog partsBacklog;
    /** The workers' members of the jobs' and the parts' groups. */
    private final List<GroupMembers> members;
    private final Duration lease;
    private final Duration retention;
    private final Duration failedRetention;
    private final Duration period;
    private final Clock clock;
    private final JobExpiry expiry;
    private final JobIndexes indexes;
    private final Outage outage = new Outage(LOG, "housekeeping");

    /**
     * @param retention       how long a finished job is kept
     * @param failedRetention how long a failed or cancelled job is kept, if that is shorter
     * @param lease           how long a worker holds a job without renewing it (transcoder.lease-ms)
     * @param originals       takes a user's original out of a job's folder before the folder is removed
     * @param members         every consumer group of the service's streams: members gone for long are removed
     */
    public Housekeeping(JobStore store, JobFiles files, Storage storage, UnifiedJedis redis, String stream,
            Duration retention, Duration failedRetention, Duration period, Duration lease, Clock clock,
            JobOriginals originals, List<GroupMembers> members) {
        this.store = store;
        this.lock = new RedisLock(redis, store.keys().prefix() + "lock:housekeeping");
        this.files = files;
        this.redis = redis;
        this.stream = stream;
        this.group = new StreamGroup(redis, stream, "workers");
        this.partsGroup = new StreamGroup(redis, store.keys().parts(), "workers");
        this.backlog = new GroupBacklog(redis, stream, "workers");
        this.partsBacklog = new GroupBacklog(redis, store.keys().parts(), "workers");
        this.members = members;
        this.lease = lease;
        this.retention = retention;
        this.failedRetention = failedRetention;
        this.period = period;
        this.clock = clock;
        this.indexes = new JobIndexes(store);
        this.expiry = new JobExpiry(store, indexes, new JobRemoval(store, files, storage, originals));
    }

    public void run() throws IOException {
        try {
            if (lock.tryHold(Math.max(1000, period.toMillis() - 500))) { // else another instance has it
                housekeep();
            }
            outage.reached();
        } catch (JedisException e) {
            outage.failed(e); // done in the next period
        }
    }

    private void housekeep() throws IOException {
        Instant now = clock.instant();
        expire(now);
        group.create();
        partsGroup.create(); // counted from the start too: the backlog's gauges and alerts add both queues
        requeueUnqueued(now);
        backlog.trimAcknowledged();
        partsBacklog.trimAcknowledged();
        removeLeftovers(now);
        removeStaleAttempts(now);
        removeGoneMembers();
    }

    /** Jobs past their retention go; while the object store is away, not this run, but the run's other steps do. */
    private void expire(Instant now) {
        try {
            expiry.expire(null, now, retention);
            for (JobStatus ended : List.of(JobStatus.FAILED, JobStatus.CANCELLED)) {
                expiry.expire(ended, now, failedRetention);
            }
        } catch (RuntimeException e) {
            String away = StoreFailures.passing(e).orElseThrow(() -> e);
            LOG.warn("Expiry waits for the next run: {}", away);
        }
    }

    /**
     * A running job's work folders other than its current attempt's belong to workers that lost it. Only folders in
     * which nothing changed for a lease are removed, and the current attempt is read again before each: an attempt
     * that began after it was read keeps its own.
     */
    private void removeStaleAttempts(Instant now) throws IOException {
        for (String id : indexes.createdBefore(JobStatus.RUNNING, now, 0, BATCH)) {
            if (files.deleteOtherAttempts(id, () -> store.attempt(id).orElse(null), now.minus(lease)) > 0) {
                LOG.info("Job {}: removed the work of attempts that lost it", id);
            }
        }
    }

    /** Workers that restarted under another name leave their old name in the group, which would stay forever. */
    private void removeGoneMembers() {
        for (GroupMembers group : members) {
            for (String member : group.removeGone(lease.toMillis() * GONE_AFTER_LEASES)) {
                LOG.info("Removed {} from group {} of {}: not heard of for over {} leases, holding no entry",
                        member, group.group(), group.key(), GONE_AFTER_LEASES);
            }
        }
    }

    /** A job stored as queued with no entry on the stream would wait forever: put it on the queue. */
    private void requeueUnqueued(Instant now) {
        List<String> queued = indexes.createdBefore(JobStatus.QUEUED, now.minus(UNQUEUED_AGE), 0, BATCH);
        if (queued.isEmpty()) {
            return;
        }
        // Entries of the job's run: one from before a retry begins nothing (JobTransitions.RUN).
        Set<List<String>> onStream = new HashSet<>();
        for (StreamEntry entry : backlog.unacknowledged()) { // the stream keeps acknowledged entries until trimmed
            String job = entry.getFields().get("job");
            if (job != null) { // an entry of another writer's naming no job is no job's
                onStream.add(List.of(job, entry.getFields().getOrDefault(JobTransitions.RUN, "")));
            }
        }
        for (String id : queued) {
            String run = store.field(id, JobTransitions.RUN).orElse("");
            if (!onStream.contains(List.of(id, run))) {
                redis.xadd(stream, XAddParams.xAddParams(), run.isEmpty() ? Map.of("job", id)
                        : Map.of("job", id, JobTransitions.RUN, run));
                LOG.warn("Job {} was queued without an entry (a process stopped in between): queued now", id);
            }
        }
    }

    private void removeLeftovers(Instant now) throws IOException {
        Path uploads = files.root().resolve(".uploads");
        if (Files.isDirectory(uploads)) {
            try (var leftovers = Files.list(uploads)) {
                for (Path file : leftovers.toList()) {
                    try {
                        if (Files.getLastModifiedTime(file).toInstant().isBefore(now.minus(ORPHAN_UPLOAD_AGE))) {
                            Files.deleteIfExists(file);
                            LOG.info("Removed {}, an upload that never finished", file.getFileName());
                        }
                    } catch (NoSuchFileException movedMeanwhile) {
                        // taken into its job's folder between the listing and the look: not a leftover
                    }
                }
            }
        }
    }
}
