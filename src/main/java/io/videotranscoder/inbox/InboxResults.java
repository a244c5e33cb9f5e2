package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobEventLog;
import io.videotranscoder.job.JobOriginals;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobTransitions;
import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where an inbox user looks for results: a succeeded job's output appears in the outbox as
 * {@code <original base name>-<preset>.<ext>} and its original in {@code inbox/.done/}; a failed or cancelled job's
 * original goes back to {@code inbox/.failed/} with its reason. The original is the user's: it leaves the job's folder
 * when the job ends, so that retention, which removes that folder, never takes it.
 */
public class InboxResults implements JobOriginals {

    private static final Logger LOG = LoggerFactory.getLogger(InboxResults.class);

    private final JobStore store;
    private final Storage storage;
    private final InboxClaims inbox;
    private final KeptOriginals kept;
    private final OutboxDelivery outbox;
    private final Object[] stripes = new Object[64];
    private final boolean deleteOriginals;

    /** @param deleteOriginals whether the original of a succeeded job is deleted instead of kept in {@code .done/} */
    public InboxResults(JobStore store, Storage storage, InboxClaims inbox, KeptOriginals kept,
            Path outbox, boolean deleteOriginals) {
        this.store = store;
        this.storage = storage;
        this.inbox = inbox;
        this.kept = kept;
        this.outbox = new OutboxDelivery(store, storage, outbox);
        Arrays.setAll(stripes, i -> new Object());
        this.deleteOriginals = deleteOriginals;
    }

    /**
     * A job's end, from its event log (fields {@code job}, {@code type}): delivers the result of an inbox job, unless
     * it was delivered already. With an object store the API that took the file delivers it (see
     * {@link HeldOriginals}): the original is on its disk alone.
     */
    public void ended(Map<String, String> event) {
        if (storage.local()) {
            store.find(event.get(JobEventLog.JOB)).filter(job -> job.status().terminal()).ifPresent(this::deliverEnded);
        }
    }

    /**
     * Puts an ended inbox job's result in the outbox and hands its original back. What cannot be done is logged and
     * recorded in the job's error, never silent; an original that could not be moved stays in the job's folder, where
     * housekeeping tries again before the folder expires.
     *
     * @return false when the original could not be handed back: the job's folder holds it still (as it does, with
     *         true, when the job was retried meanwhile)
     */
    public boolean deliverEnded(Job job) {
        try {
            if (!holdsOriginal(job)) {
                return true; // not a user's file, or delivered already
            }
            release(job);
            return true;
        } catch (IOException | RuntimeException e) {
            redisAway(e);
            report(job, "The original could not be handed back from the job's folder: " + e);
            return false;
        }
    }

    /** Redis unreachable is no fault of the files: the delivery is asked again (its event stays pending). */
    private static void redisAway(Exception e) {
        if (e instanceof JedisException away) {
            throw away;
        }
    }

    private void report(Job job, String reason) {
        LOG.error("Inbox job {}: {}", job.id(), reason);
        store.recordEnded(job.id(), "error", reason);
    }

    /**
     * Takes an ended inbox job's original out of the job's folder: to {@code .done/} when it succeeded (its result put
     * in the outbox first, unless it is there already), or deleted when so configured; to {@code .failed/} with the
     * reason otherwise. Called when the job ends, and again before anything removes the job's folder (a DELETE, the
     * job's expiry): the second call finds nothing left to do.
     */
    @Override
    public void release(Job job) throws IOException {
        if (!"inbox".equals(job.source()) || !job.status().terminal()) {
            return;
        }
        // One at a time per job in this process: a DELETE and the job's end event may ask at the same moment.
        synchronized (stripes[Math.floorMod(job.id().hashCode(), stripes.length)]) {
            releaseOnce(job);
        }
    }

    private void releaseOnce(Job job) throws IOException {
        Path original = kept.original(job);
        if (original == null) {
            return; // handed back already
        }
        switch (job.status()) {
            case SUCCEEDED -> {
                try {
                    Optional<Path> result = outbox.deliver(job, displayName(job));
                    if (result.isEmpty()) {
                        LOG.debug("Inbox job {} was removed, its result delivered, meanwhile", job.id());
                        return; // by the process that removed it, which handed its original back first
                    }
                    LOG.info("Inbox file {} transcoded to {}", displayName(job), result.get());
                } catch (IOException | RuntimeException e) {
                    redisAway(e);
                    // The outputs stay downloadable from the API; the user finds the original and why in .failed.
                    String reason = "The file was transcoded, but the result could not be put in the outbox: " + e;
                    report(job, reason);
                    handBack(job, original, reason);
                    return;
                }
                Optional<String> changed = changed(job, original);
                if (changed.isPresent()) {
                    handBack(job, original, "The file was transcoded, but " + changed.get());
                } else if (deleteOriginals) {
                    kept.handOver(job, original, () -> {
                        Files.delete(original);
                        return original;
                    });
                    LOG.info("Inbox file {} deleted after its job succeeded, as configured", displayName(job));
                } else {
                    kept.handOver(job, original, () -> inbox.folders().done(original, displayName(job)));
                }
            }
            // A cancelled file was not transcoded: it is handed back like a failed one, with the reason, rather than
            // filed with the finished ones or put back into the inbox, where it would be taken again at once.
            case CANCELLED -> handBack(job, original, "The job was cancelled, so the file was not transcoded. Drop it"
                                                      + " into the inbox again to transcode it.");
            default -> handBack(job, original, changed(job, original).map(c -> job.error() + "\nBesides, " + c)
                    .orElse(job.error()));
        }
    }

    /**
     * What a writer that went on after the inbox took the file changed, if it did (the original is the user's file,
     * written to still; the job read what it held then, or its copy of it).
     */
    private static Optional<String> changed(Job job, Path original) throws IOException {
        long now = Files.size(original);
        return now == job.inputSize() ? Optional.empty() : Optional.of("the file changed after the inbox took it: it"
                + " had " + job.inputSize() + " bytes then and has " + now + " now, so the job read what it held then."
                + " Drop it into the inbox again to transcode it as it is now.");
    }

    @Override
    public void unclaimed(String jobId, Path file, boolean copy) throws IOException {
        Path original = kept.kept(jobId).orElse(copy ? null : file);
        if (!file.equals(original)) {
            Files.deleteIfExists(file); // a copy: its original is kept, or was handed back by another instance
        }
        if (original != null) {
            KeptOriginals.moved(original, () -> inbox.folders().fail(original, original.getFileName().toString(),
                    "Job " + jobId + " was removed before this file, its original, was handed back, so how it ended"
                    + " is not known. Drop the file into the inbox again to transcode it."));
            kept.emptied(jobId);
        }
    }

    /**
     * The hand-back is recorded on the job first, while it is ended, so that a retry is refused from then on (its
     * result would reach no outbox); a job retried before keeps its original for the new attempt.
     */
    private void handBack(Job job, Path original, String reason) throws IOException {
        if (store.recordEnded(job.id(), JobTransitions.HANDED_BACK, Instant.now().toString())) {
            kept.handOver(job, original, () -> inbox.folders().fail(original, displayName(job), reason));
        }
    }

    /** Whether a user's original waits for the job's end: an inbox job's, not handed back yet. */
    boolean holdsOriginal(Job job) throws IOException {
        return "inbox".equals(job.source()) && kept.original(job) != null;
    }

    private static String displayName(Job job) {
        return job.originalName() == null ? job.inputFile() : job.originalName();
    }
}
