package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.videotranscoder.storage.JobFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What no request path can do: forget finished jobs past their retention (files and records), remove what a crash
 * left behind (uploads that never finished), and queue again a job that was stored but
 * never queued (a process that died between the two). One instance does it per period (a lock in Redis).
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

    private final JobStore store;
    private final JobFiles files;
    private final UnifiedJedis redis;
    private final String stream;
    private final Duration retention;
    private final Duration period;
    private final Clock clock;
    private final JobOriginals originals;

    /** @param originals takes a user's original out of a job's folder before the folder is removed */
    public Housekeeping(JobStore store, JobFiles files, UnifiedJedis redis, String stream, Duration retention,
            Duration period, Clock clock, JobOriginals originals) {
        this.store = store;
        this.files = files;
        this.redis = redis;
        this.stream = stream;
        this.retention = retention;
        this.period = period;
        this.clock = clock;
        this.originals = originals;
    }

    public void run() throws IOException {
        if (!store.lock("housekeeping", Math.max(1000, period.toMillis() - 500))) {
            return; // another instance has this period
        }
        Instant now = clock.instant();
        for (String id : store.createdBefore(null, now.minus(retention), BATCH)) {
            store.find(id).filter(job -> job.status().terminal()).ifPresent(job -> {
                try {
                    originals.release(job);
                } catch (IOException e) {
                    LOG.warn("Job {} expired, but its original could not be handed back ({}): kept until the next run",
                            id, e.toString());
                    return;
                }
                files.deleteJob(id);
                store.delete(id);
                LOG.info("Job {} expired ({} old): its files and record are removed", id, retention);
            });
        }
        requeueUnqueued(now);
        removeLeftovers(now);
    }

    /** A job stored as queued with no entry on the stream would wait forever: put it on the queue. */
    private void requeueUnqueued(Instant now) {
        List<String> queued = store.createdBefore(JobStatus.QUEUED, now.minus(UNQUEUED_AGE), BATCH);
        if (queued.isEmpty()) {
            return;
        }
        Set<String> onStream = new HashSet<>();
        for (StreamEntry entry : redis.xrange(stream, "-", "+")) {
            onStream.add(entry.getFields().get("job"));
        }
        for (String id : queued) {
            if (!onStream.contains(id)) {
                redis.xadd(stream, XAddParams.xAddParams(), Map.of("job", id));
                LOG.warn("Job {} was stored but never queued (a process stopped in between): queued now", id);
            }
        }
    }

    private void removeLeftovers(Instant now) throws IOException {
        Path uploads = files.root().resolve(".uploads");
        if (Files.isDirectory(uploads)) {
            try (var leftovers = Files.list(uploads)) {
                for (Path file : leftovers.toList()) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(now.minus(ORPHAN_UPLOAD_AGE))) {
                        Files.deleteIfExists(file);
                        LOG.info("Removed {}, an upload that never finished", file.getFileName());
                    }
                }
            }
        }
    }
}
