package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.videotranscoder.redis.PassingFailures;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an attempt ends: its job succeeded, failed, was cancelled, or goes back on the queue. Each is stored on the job,
 * and all but a requeue leave the {@link Outcome} (property {@value JobWorker#OUTCOME}) for the steps that follow.
 */
class AttemptEnds {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptEnds.class);
    /** How long an attempt's last write waits for Redis: a failover's time (Sentinel judges a primary down in 30 s). */
    private static final Duration FINAL_WRITE_PATIENCE = Duration.ofSeconds(60);

    /** Why a split job runs again: its parts were gone before its join, and counted, they are never encoded again. */
    static final String PARTS_LOST = "The parts of this split job were gone before its join (removed, or Redis lost its"
                                     + " record of the job's end): it runs again from its input.";

    private final JobTransitions moves;
    private final JobFiles files;
    private final Storage storage;
    private final StoredObjects objects;
    private final Clock clock;
    private final RetryPolicy retries;

    AttemptEnds(JobTransitions moves, JobFiles files, Storage storage, Clock clock, RetryPolicy retries) {
        this.moves = moves;
        this.files = files;
        this.storage = storage;
        this.objects = new StoredObjects(storage);
        this.clock = clock;
        this.retries = retries;
    }

    /**
     * The outputs are in place.
     *
     * @param encodeSpeed media seconds encoded per wall second, when the input's duration is known
     */
    void succeeded(Exchange exchange, Job job, List<Job.Output> outputs, Double encodeSpeed) {
        long bytesOut = outputs.stream().mapToLong(Job.Output::size).sum();
        String attempt = Attempts.of(exchange);
        Instant now = clock.instant();
        Optional<String> refused = lastWrite(job.id(), attempt, JobStatus.SUCCEEDED, now,
                () -> moves.succeed(job.id(), attempt, outputs, now));
        if (refused.isEmpty()) {
            files.deleteWork(job.id()); // what runs that lost the job left (a join taken over): it is over
            objects.ofOtherAttempts(job, attempt);
            outcome(exchange, job, JobStatus.SUCCEEDED, null, bytesOut, encodeSpeed);
        } else if (JobTransitions.CANCEL_ASKED.equals(refused.get())) {
            // A client cancelled while the outputs were stored (an upload to an object store can take minutes): they
            // are removed with the job's other files, and the job ends as asked.
            deleteOutputs(job, outputs);
            cancelled(exchange, job);
        } else if (JobTransitions.MISSING.equals(refused.get())) {
            objects.ofRemovedJob(job, attempt, "finished");
        } else {
            LOG.warn("Job {} finished but was {} meanwhile", job.id(), refused.get());
        }
    }

    /** @param category the failure's kind, for the meters (a few fixed words) */
    void failed(Exchange exchange, Job job, String category, String reason) {
        String attempt = Attempts.of(exchange);
        Instant now = clock.instant();
        Optional<String> refused = lastWrite(job.id(), attempt, JobStatus.FAILED, now, () -> moves.fail(job.id(),
                attempt, reason, now));
        if (refused.isEmpty()) {
            outcome(exchange, job, JobStatus.FAILED, category, 0, null);
            LOG.info("Job {} failed: {}", job.id(), reason);
        } else if (JobTransitions.CANCEL_ASKED.equals(refused.get())) {
            cancelled(exchange, job); // asked while the failure was judged: the job ends as its client asked
        }
    }

    /**
     * An attempt's last write, its success or failure: a moment of Redis's must not throw a finished encode away (the
     * entry redelivered, the encode made again), so it is tried again through a passing failure; a try whose answer
     * was lost may have been applied, and a refusal then is the job ended {@code ended} by this very write.
     *
     * @param now the end's time, which {@code write} stores: it tells this write's end from another's
     * @return the move's refusal, as {@code write} answers it
     */
    private Optional<String> lastWrite(String id, String attempt, JobStatus ended, Instant now,
            Supplier<Optional<String>> write) {
        return PassingFailures.retried(() -> write.get().filter(status -> !moves.endedBy(id, attempt, ended, now)),
                FINAL_WRITE_PATIENCE);
    }

    /**
     * The job's queue entry is out of deliveries: the job fails, unless it runs from another entry or run meanwhile
     * (see {@link JobTransitions#giveUp}).
     */
    void gaveUp(Exchange exchange, Job job, String entry, String run, String reason) {
        Optional<String> refused = moves.giveUp(job.id(), entry, run, reason, clock.instant());
        if (refused.isEmpty()) {
            outcome(exchange, job, JobStatus.FAILED, "gave_up", 0, null);
            LOG.info("Job {} failed: {}", job.id(), reason);
        } else if (JobTransitions.CANCEL_ASKED.equals(refused.get())) {
            cancelled(exchange, job); // asked since the claim looked
        }
    }

    /** Removes outputs published into the job's folder (its input, an inbox file's original, stays). */
    private void deleteOutputs(Job job, List<Job.Output> outputs) {
        for (Job.Output output : outputs) {
            try {
                Files.deleteIfExists(files.output(job.id(), output.name()));
            } catch (IOException e) {
                LOG.warn("Could not remove output {} of job {}: {}", output.name(), job.id(), e.getMessage());
            }
        }
    }

    /** The job was cancelled: its work and (for an upload) its input are removed; an inbox file is the user's. */
    void cancelled(Exchange exchange, Job job) {
        // Once: the parts of a split job may each find the cancel.
        if (cancel(job, Attempts.of(exchange))) {
            outcome(exchange, job, JobStatus.CANCELLED, null, 0, null);
        }
        LOG.info("Job {} cancelled: its programs were stopped and its files removed", job.id());
    }

    /**
     * Removes the job's files as {@link #cancelled} does, then stores the cancel.
     *
     * @param attempt the attempt that stops the job; empty: whichever holds it
     * @return whether this call stored it
     */
    boolean cancel(Job job, String attempt) {
        // Files first: whoever sees "cancelled" finds them gone (a crash in between leaves a cancel still asked).
        if ("inbox".equals(job.source())) {
            files.deleteWork(job.id());
        } else {
            files.deleteJob(job.id());
        }
        objects.ofCancelledJob(job);
        return moves.cancel(job.id(), attempt, clock.instant()).isEmpty();
    }

    /**
     * Puts the job back on the queue, to run again after the {@link RetryPolicy}'s backoff.
     *
     * @throws JobRetry unless a client's cancel came meanwhile (the job is cancelled then), so that the queue entry
     *                   waits for its delay (header {@code RETRY_DELAY})
     */
    void retry(Exchange exchange, Job job, String reason) {
        RetryPolicy.Later later = retries.later(exchange, null, reason);
        if (moves.requeue(job.id(), Attempts.of(exchange), later.error()).filter(JobTransitions.CANCEL_ASKED::equals)
                .isPresent()) {
            cancelled(exchange, job); // asked while the stop was judged: no retry, the job ends as its client asked
            return;
        }
        files.deleteAttempt(job.id(), Attempts.of(exchange)); // its own: the next attempt may have begun already
        throw later.delay(exchange);
    }

    /** The job was removed while this attempt, failing, stored its outputs: they go ({@link StoredObjects}). */
    void removedMeanwhile(Job job, String attempt) {
        objects.ofRemovedJob(job, attempt, "failed");
    }

    /**
     * Whether a split job whose parts are gone may run again from its input: once (see {@link #rerun}), and while its
     * input is there (an inbox job's original went on when it succeeded, before Redis lost that).
     */
    boolean mayRerun(Job job) {
        return !moves.ranAgain(job.id()) && storage.stat(job.inputKey()).isPresent();
    }

    /**
     * A split job whose parts are gone before its join (Redis restored to before the job's end, which removed them)
     * runs again from its input, split anew, once; the attempt's files go.
     */
    void rerun(Exchange exchange, Job job) {
        String attempt = Attempts.of(exchange);
        Optional<String> refused = moves.rerun(job.id(), attempt, Attempts.token(), PARTS_LOST, clock.instant());
        if (refused.filter(JobTransitions.CANCEL_ASKED::equals).isPresent()) {
            cancelled(exchange, job); // asked while the join was judged
        } else if (refused.isEmpty()) {
            LOG.warn("Job {}: its parts were gone before its join; it runs again from its input", job.id());
            files.deleteAttempt(job.id(), attempt);
        }
    }

    private void outcome(Exchange exchange, Job job, JobStatus status, String failure, long bytesOut,
            Double encodeSpeed) {
        exchange.setProperty(JobWorker.OUTCOME, Outcome.of(job, status, clock.instant(), failure, bytesOut,
                encodeSpeed));
    }
}
