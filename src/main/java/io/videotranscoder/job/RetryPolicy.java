package io.videotranscoder.job;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.StoreFailures;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Which failed attempts are worth another one, and how soon: a stop for a reason another attempt may not meet (a
 * stall, a machine too slow, a signal from outside this service, a full disk), after a backoff that doubles with each
 * attempt.
 *
 * @param backoff the wait before a second attempt
 */
record RetryPolicy(Duration backoff) {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private static final String RETRYING = "; retrying in ";
    private static final String ATTEMPT = ", attempt ";
    /** Java's exit value of a process that a signal ended is 128 + the signal's number. */
    private static final int KILLED_BY_SIGNAL = 128;
    /** SIGSYS: the real-time signals after it end no program unasked. */
    private static final int LAST_STANDARD_SIGNAL = 31;

    /** An attempt sent back to its queue: what its job shows until the next one ends, and the wait before it. */
    record Later(String error, long delayMillis) {

        /** The queue entry waits the delay (header {@code RETRY_DELAY}): throw what this returns. */
        JobRetry delay(Exchange exchange) {
            exchange.getMessage().setHeader(RedisStreamConstants.RETRY_DELAY, delayMillis);
            return new JobRetry(error);
        }
    }

    /**
     * The retry of the exchange's attempt (its delivery count) for {@code reason}.
     *
     * @param part the part of a split job that failed ("Segment 2"), or null for a whole job
     */
    Later later(Exchange exchange, String part, String reason) {
        long attempt = exchange.getIn().getHeader(RedisStreamConstants.DELIVERY_COUNT, 1L, Long.class);
        long delay = delayMillis(attempt);
        return new Later(error(part == null ? "Attempt " + attempt : part + ATTEMPT + attempt, reason, delay), delay);
    }

    /** The wait after attempt {@code attempt} (1 for the first): the backoff, doubled for each further one, 10 times at most. */
    long delayMillis(long attempt) {
        return backoff.toMillis() << Math.min(10, attempt - 1);
    }

    /**
     * What a job put back on the queue shows until an attempt ends otherwise.
     *
     * @param attempt which one failed, e.g. "Attempt 2", "Segment 3, attempt 2"
     */
    static String error(String attempt, String reason, long delayMillis) {
        return attempt + ": " + reason + RETRYING + delayMillis / 1000 + " s.";
    }

    /** Whether {@code error} is that of a retry of {@code part} ({@link #later}), e.g. "Segment 2, attempt 1: ...". */
    static boolean retryOf(String error, String part) {
        return error != null && error.startsWith(part + ATTEMPT);
    }

    /**
     * The last retry's reason in a job's error, without the retry it announced; empty where the error announces no
     * retry (the job sent back to run again from its input, say: no attempt's failure).
     */
    static Optional<String> lastRetry(String error) {
        return error != null && error.contains(RETRYING) ? Optional.of(lastReason(error)) : Optional.empty();
    }

    /** An {@link #error} as the reason of a job that was then given up on: without the retry it announced. */
    static String lastReason(String error) {
        int retrying = error.lastIndexOf(RETRYING);
        return retrying < 0 ? error : error.substring(0, retrying) + ".";
    }

    /**
     * Why a failed attempt is worth another, if it is: the watcher stopped it ({@link #afterStop}), a signal from
     * outside this service ended it ({@link #afterSignal}), the disk filled ({@link #afterShortage}), FFmpeg wrote a
     * cut output file although it exited 0 ({@link CutOutput}: a write that failed for a moment), or the object
     * store was away or failing ({@link StoreFailures}), a disk filled under the service's own writes
     * ({@link #afterFullDisk}), Redis failed for a moment ({@link #afterRedisFailure}), or this service failed in
     * itself ({@link #internal}).
     */
    static Optional<String> worthAnother(EncodeWatcher.Stop stop, Exception cause, String stderr) {
        return afterStop(stop).or(() -> afterSignal(stop, cause)).or(() -> afterShortage(stderr))
                .or(() -> cause instanceof CutOutput ? Optional.of(CutOutput.WHY) : Optional.empty())
                .or(() -> FailureClassifier.launchFailure(cause, stderr)
                        .map(why -> "FFmpeg could not be started: " + why))
                .or(() -> StoreFailures.passing(cause))
                .or(() -> afterFullDisk(cause))
                .or(() -> afterRedisFailure(cause))
                .or(() -> internal(cause));
    }

    /** Why Redis failing during the job (a timeout, a connection lost, its pool exhausted) is worth another attempt. */
    static Optional<String> afterRedisFailure(Exception cause) {
        return Optional.ofNullable(ObjectHelper.getException(JedisException.class, cause))
                .map(t -> "Redis failed while the job ran (" + t.getClass().getSimpleName() + ")");
    }

    /** Why a write of this service's own that a full disk refused (an output moved into place) is worth another. */
    static Optional<String> afterFullDisk(Exception cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IOException && DiskSpace.saysFull(t.getMessage())) {
                return Optional.of("The disk filled up while the service wrote the job's files");
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #worthAnother}, where a failure of this service itself ({@link #internal}) is logged with its stack, as
     * the failure of {@code what} (a job, a part of one), since its reason names only its kind.
     */
    static Optional<String> worthAnother(String what, EncodeWatcher.Stop stop, Exception cause, String stderr) {
        Optional<String> another = worthAnother(stop, cause, stderr);
        if (another.isPresent() && another.equals(internal(cause))) {
            LOG.error("{} failed in this service ({}): tried again", what, cause.getClass().getName(), cause);
        }
        return another;
    }

    /**
     * A failure of this service itself (a defect, this machine's input or output: the worker route's last catch),
     * named by its kind alone, never its words (which may name the service's folders). It went uncaught, and its entry
     * was delivered again after its lease, the whole job run each time, until the job was given up "each time, the
     * worker running the job stopped": which was not what happened.
     */
    static Optional<String> internal(Exception cause) {
        boolean judged = cause instanceof ExecException || FailureClassifier.failureIn(cause).isPresent()
                         || StoreFailures.isStoreFailure(cause);
        return judged ? Optional.empty() : Optional.of("an internal error in this service ("
                + cause.getClass().getSimpleName() + "; the worker's log has it)");
    }

    /** Why the watcher's stop is worth another attempt, if it is. */
    static Optional<String> afterStop(EncodeWatcher.Stop stop) {
        if (stop == EncodeWatcher.Stop.STALLED) {
            return Optional.of("FFmpeg made no progress for too long and was stopped");
        }
        if (stop == EncodeWatcher.Stop.TOO_SLOW) {
            return Optional.of("FFmpeg ran far longer than the input lasts and was stopped");
        }
        return Optional.empty();
    }

    /**
     * Why a program that a signal ended is worth another attempt: when the watcher did not stop it ({@code stop}
     * null), the signal came from outside this service. Only the standard signals count (1 to 31: 129 to 159): FFmpeg
     * exits with its error's low byte (255, or 234 for EINVAL, 244 for ENOMEM), which read as a signal named none.
     */
    static Optional<String> afterSignal(EncodeWatcher.Stop stop, Exception cause) {
        if (stop == null && cause instanceof ExecException exec && exec.getExitValue() > KILLED_BY_SIGNAL
            && exec.getExitValue() <= KILLED_BY_SIGNAL + LAST_STANDARD_SIGNAL) {
            return Optional.of("FFmpeg was ended by signal " + (exec.getExitValue() - KILLED_BY_SIGNAL)
                               + ", which this service did not send (the system may be short of memory)");
        }
        return Optional.empty();
    }

    /**
     * Why FFmpeg's failure is worth another attempt when what it lacked was the machine's, not the input's: a disk
     * (or a quota) that filled while it wrote. Retention and finished jobs free space; the input is not at fault.
     */
    static Optional<String> afterShortage(String stderr) {
        if (DiskSpace.saysFull(stderr)) {
            return Optional.of("The disk filled up while FFmpeg wrote the output");
        }
        return Optional.empty();
    }
}
