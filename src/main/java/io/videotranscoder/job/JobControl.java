package io.videotranscoder.job;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a client may do to a job: cancel it (a queued job never starts; a running one's worker is asked to stop its
 * FFmpeg, and stores {@code cancelled} once it has), remove a finished one with its files, or run a failed one again.
 */
public class JobControl {

    private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

    /** The exchange property saying what a {@code DELETE} did. */
    public static final String DELETED = "transcoderDeleted";

    /** What a {@code DELETE} did to the job. */
    public enum Deletion {
        /** A queued job, or a running one no worker held, was cancelled: it never runs again, its files are gone. */
        CANCELLED,
        /** A running job's worker was asked to stop it: the job is {@code cancelled} once its FFmpeg has exited. */
        CANCEL_REQUESTED,
        /** A finished job was removed, files and record. */
        REMOVED
    }

    private final JobStore store;
    private final JobTransitions moves;
    private final Storage storage;
    private final Clock clock;
    private final JobRemoval removal;
    private final UnheldCancels unheld;

    /**
     * @param originals takes a user's original out of a cancelled job's folder before the folder is removed
     * @param unheld    carries out at once the cancel of a running job no worker holds
     */
    public JobControl(JobStore store, JobFiles files, Storage storage, Clock clock, JobOriginals originals,
            UnheldCancels unheld) {
        this.store = store;
        this.unheld = unheld;
        this.moves = new JobTransitions(store);
        this.storage = storage;
        this.clock = clock;
        this.removal = new JobRemoval(store, files, storage, originals);
    }

    /**
     * DELETE /jobs/{id}: cancels a queued or running job, or removes a finished one; sets {@value #DELETED}, and the
     * job (property {@value JobSubmitter#JOB}) as it is now where it still exists.
     */
    public void delete(Exchange exchange) {
        stop(exchange, true);
    }

    /**
     * POST /jobs/{id}/cancel: cancels a queued or running job, as DELETE does, but never removes one that has ended
     * (a refusal saying so): a page whose view of the job is a moment old cannot delete its outputs by a cancel.
     */
    public void cancel(Exchange exchange) {
        stop(exchange, false);
    }

    private void stop(Exchange exchange, boolean removeEnded) {
        Job job = existing(exchange);
        Optional<String> refused = moves.cancelQueued(job.id(), clock.instant());
        if (refused.isEmpty()) {
            // Cancelled: whatever follows, the answer says so and the outcome is counted (a second request may have
            // removed the record meanwhile; the files' removal may fail, an object store being away).
            exchange.setProperty(JobWorker.OUTCOME, Outcome.of(job, JobStatus.CANCELLED, clock.instant(), null, 0,
                    null));
            try {
                removal.removeFiles(store.find(job.id()).orElse(job)); // no worker has it: its entry is dropped
            } catch (IOException | RuntimeException e) { // its record stays, cancelled: its expiry tries again
                LOG.warn("Job {}: its original could not be handed back or its files removed ({}): they are kept",
                         job.id(), e.toString());
            }
            answer(exchange, job.withStatus(JobStatus.CANCELLED), Deletion.CANCELLED);
        } else if (JobStatus.RUNNING.value().equals(refused.get())) {
            moves.requestCancel(job.id(), clock.instant()).filter(status -> !JobStatus.RUNNING.value().equals(status))
                    .ifPresent(status -> {
                        throw Refusal.wrongState("Job " + job.id() + " became " + status + " meanwhile;"
                                                        + " try again.");
                    });
            Optional<Outcome> cancelled = unheld.cancel(job.id());
            cancelled.ifPresent(outcome -> exchange.setProperty(JobWorker.OUTCOME, outcome));
            answer(exchange, job, cancelled.isPresent() ? Deletion.CANCELLED : Deletion.CANCEL_REQUESTED);
        } else if (JobTransitions.MISSING.equals(refused.get())) {
            throw Refusal.notFound("There is no job with id '" + job.id() + "'."); // removed meanwhile
        } else if (JobStatus.of(refused.get()).terminal() && !removeEnded) {
            throw Refusal.wrongState("Job " + job.id() + " has ended (" + refused.get() + "): there is nothing to"
                                     + " cancel. DELETE /jobs/" + job.id() + " removes it with its files.");
        } else if (JobStatus.of(refused.get()).terminal()) {
            try {
                if (!removal.remove(job.id())) {
                    throw Refusal.wrongState("Job " + job.id() + " was retried meanwhile; try again.");
                }
            } catch (IOException e) {
                // Say, a folder a worker paused past its lease still writes into; the details are the log's, not the
                // client's (they name the server's paths).
                LOG.warn("Job {}: its original could not be handed back or its folder removed ({}): the job is kept",
                         job.id(), e.toString());
                throw new Refusal(Refusal.Kind.UNAVAILABLE, "The files of job " + job.id() + " could not all be"
                                  + " removed now, so the job is kept; try again in a moment.", null);
            }
            exchange.setProperty(DELETED, Deletion.REMOVED);
        } else {
            throw Refusal.wrongState("Job " + job.id() + " is " + refused.get() + "; try again.");
        }
    }

    private void answer(Exchange exchange, Job job, Deletion deletion) {
        exchange.setProperty(DELETED, deletion);
        // As read after the change: as the caller read it, where another request removed it since, or Redis failed
        // once the change was stored (a 503 then told the client the cancel it got had failed, and went uncounted).
        Job now;
        try {
            now = store.find(job.id()).orElse(job);
        } catch (JedisException redisAway) {
            LOG.warn("Job {}: {} stored, then Redis failed ({}): answered as known", job.id(),
                    deletion.name().toLowerCase(Locale.ROOT), redisAway.toString());
            now = deletion == Deletion.CANCELLED ? job.withStatus(JobStatus.CANCELLED) : job;
        }
        exchange.setProperty(JobSubmitter.JOB, now);
    }

    /** POST /jobs/{id}/retry: a failed job is queued again, with its queue entry in the same step. */
    public void retry(Exchange exchange) {
        Job job = existing(exchange);
        if (job.status() != JobStatus.FAILED) {
            throw Refusal.wrongState("Job " + job.id() + " is " + job.status().value()
                                            + "; only a failed job can be retried.");
        }
        if (storage.stat(job.inputKey()).isEmpty()) {
            throw Refusal.wrongState("inbox".equals(job.source()) ? handedBack(job)
                    : "The input of job " + job.id() + " is no longer stored; send it again.");
        }
        String run = Attempts.token();
        moves.retry(job.id(), run).ifPresent(status -> {
            throw Refusal.wrongState(JobTransitions.HANDED_BACK.equals(status) ? handedBack(job)
                    : JobTransitions.REMOVING.equals(status) ? "Job " + job.id() + " is being removed."
                    : "Job " + job.id() + " is " + status + "; only a failed job can be retried.");
        });
        exchange.setProperty(JobSubmitter.JOB, store.find(job.id()).orElse(job.withStatus(JobStatus.QUEUED)));
    }

    /** An inbox job's original went back to its user when it failed: a retry's result would reach no outbox. */
    private static String handedBack(Job job) {
        return "Job " + job.id() + " came from the inbox, and its file was handed back to the inbox's .failed folder"
               + " when it failed; drop the file into the inbox again to transcode it.";
    }

    /** The job the request names, if the caller may see it (property {@value Tenancy#PROPERTY}, set by the route). */
    private Job existing(Exchange exchange) {
        Tenancy tenancy = exchange.getProperty(Tenancy.PROPERTY, Tenancy.class);
        if (tenancy == null) {
            throw new IllegalStateException("A request on a job has no tenancy: the route sets " + Tenancy.PROPERTY);
        }
        return store.existing(exchange.getIn().getHeader("id", String.class), tenancy);
    }
}
