package io.videotranscoder.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import redis.clients.jedis.UnifiedJedis;

/**
 * The status changes of a job by name, each with the fields it writes, made by one script that checks the current
 * status against {@link JobMove}'s table first, so that they are enforced across all nodes. An {@code attempt} fences
 * the change: made only while that attempt holds the job, else {@link AttemptLost} ("" for a change made outside any
 * attempt). Each returns the status the job had when the move was refused, or empty when it was made. The same script
 * records the change's event in the {@link JobEventLog}.
 */
public class JobTransitions {

    private static final String CANCELLED_BY_CLIENT = "Cancelled at the client's request.";

    /** What a move answers when the job is not there (removed meanwhile). */
    public static final String MISSING = "missing";
    /** What a move refused because a client's cancel of the job waits for its worker answers. */
    public static final String CANCEL_ASKED = "cancel-asked";
    /** What a worker's begin answers when the job runs from another queue entry: the one it has is a duplicate. */
    public static final String OTHER_ENTRY = "other-entry";
    /** What a worker's begin answers when the job runs as parts: its own entry, delivered again, has nothing to do. */
    public static final String SPLIT = "split";
    /**
     * What a worker's begin answers when the job's entry was delivered again since this worker read it (another worker
     * took it over, its lease gone while this one was frozen before its begin), and a later delivery began the job.
     */
    public static final String TAKEN_OVER = "taken-over";
    /** The job's field that names the queue entry its attempts run from (empty until one began, and after a retry). */
    public static final String ENTRY = "entry";
    /**
     * The job's field that names its run: empty until a retry, then a fresh token, which the retry's queue entry
     * carries in a field of this name. An entry of an earlier run (a worker frozen before its begin past its lease,
     * or killed before acknowledging an entry out of deliveries) then begins or fails nothing.
     */
    public static final String RUN = "run";
    /** Set once a split job ran again because its parts were lost ({@link #rerun}): it does so once. */
    public static final String RERUN_AT = "rerunAt";
    /** Set (while ended) before an inbox job's original goes back to its user; a retry answers it from then on. */
    public static final String HANDED_BACK = "handedBack";
    /** Set (while ended) before a DELETE or the expiry removes anything; a retry answers it from then on. */
    public static final String REMOVING = "removing";

    private final UnifiedJedis redis;
    private final JobKeys keys;

    public JobTransitions(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /**
     * A worker begins an attempt from a queue entry, whose token fences every later write of it. The job's attempts
     * run from one entry, taken over with it when a worker stops: another entry naming the job is a duplicate (a
     * requeue that raced a retry), or from an earlier run ({@value #RUN}), refused with {@value #OTHER_ENTRY}; an
     * earlier delivery of the entry than the one that began the job (its attempts) is refused with
     * {@value #TAKEN_OVER}: the worker that read it lost it while frozen, and would take the job from its new holder.
     */
    public Optional<String> begin(String id, String attempt, String worker, long deliveries, Instant now,
            String entry, String run) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ENTRY, entry);
        fields.put("startedAt", now.toString());
        fields.put("attempts", Long.toString(deliveries));
        fields.put("worker", worker);
        fields.put("progress", "0");
        fields.put("attempt", attempt);
        return move(id, "", JobMove.BEGIN, entryGuard(entry, run) + " " + deliveries, fields);
    }

    /** A worker fails a job whose queue entry is out of deliveries, unless the job runs from another entry or run. */
    public Optional<String> giveUp(String id, String entry, String run, String reason, Instant now) {
        return move(id, "", JobMove.FAIL, entryGuard(entry, run), Map.of("error", reason,
                "finishedAt", now.toString()));
    }

    private static String entryGuard(String entry, String run) {
        return "entry=" + entry + " " + run;
    }

    /**
     * Whether the job ended {@code status} from {@code attempt} at {@code finishedAt}: an end of this very write whose
     * answer was lost on the way. The time tells it from another's of the same attempt: the parts of a split job share
     * their job's, and two failing together each took the other's failure for its own and counted it.
     */
    boolean endedBy(String id, String attempt, JobStatus status, Instant finishedAt) {
        List<String> fields = redis.hmget(keys.job(id), "status", "attempt", "finishedAt");
        return status.value().equals(fields.get(0)) && attempt.equals(fields.get(1))
               && finishedAt.toString().equals(fields.get(2));
    }

    /** @return {@value #CANCEL_ASKED} when a client's cancel waits: the outputs are not the job's then */
    public Optional<String> succeed(String id, String attempt, List<Job.Output> outputs, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>(JobHash.outputFields(outputs));
        fields.put("finishedAt", now.toString());
        fields.put("progress", "100");
        fields.put("error", ""); // what an earlier attempt said no longer applies
        return move(id, attempt, JobMove.SUCCEED, fields);
    }

    public Optional<String> fail(String id, String attempt, String reason, Instant now) {
        return move(id, attempt, JobMove.FAIL, Map.of("error", reason, "finishedAt", now.toString()));
    }

    /** Back on the queue; {@code error} says why, until an attempt ends otherwise. */
    public Optional<String> requeue(String id, String attempt, String error) {
        return move(id, attempt, JobMove.REQUEUE, Map.of("error", error));
    }

    /** A worker stores the cancel a client asked for. */
    public Optional<String> cancel(String id, String attempt, Instant now) {
        return move(id, attempt, JobMove.CANCEL, cancelled(now));
    }

    /** A client cancels a job that no worker has begun. */
    public Optional<String> cancelQueued(String id, Instant now) {
        return move(id, "", JobMove.CANCEL_QUEUED, cancelled(now));
    }

    /**
     * A client asks the worker of a running job to stop it; the job stays running until the worker stores the cancel.
     *
     * @return the job's status when it is not running (nothing is asked then), or empty when the request is stored
     */
    public Optional<String> requestCancel(String id, Instant now) {
        return answer(redis.eval(TransitionScript.REQUEST_CANCEL, List.of(keys.job(id)), List.of(now.toString())));
    }

    /**
     * A client queues a failed job again, as if new, as the run {@code run} ({@value #RUN}): its new queue entry, added
     * in the same step, carries it.
     *
     * @return {@value #HANDED_BACK} when the job's original was handed back to its user, {@value #REMOVING} while
     *         the job is being removed
     */
    public Optional<String> retry(String id, String run) {
        // A split job is split anew: the parts of its earlier run are dropped (see SegmentLedger); no attempt holds
        // it, so a part of that run still running (its job failed by another part) cannot fail or change it.
        return move(id, "", JobMove.RETRY, "ended", Map.of("error", "", "progress", "0", "finishedAt", "",
                "cancelRequestedAt", "", "splitRun", "", ENTRY, "", "attempt", "", RUN, run), keys.queue());
    }

    /**
     * The attempt that holds a split job queues it again from its input as the run {@code run}, split anew, its queue
     * entry added in the same step: its parts were lost before its join. {@code error} says why until it ends.
     *
     * @return {@value #CANCEL_ASKED} when a client's cancel waits
     * @throws AttemptLost when another attempt holds the job
     */
    public Optional<String> rerun(String id, String attempt, String run, String error, Instant now) {
        return move(id, attempt, JobMove.RERUN, "cancel", Map.of("error", error, "progress", "0", "splitRun", "",
                ENTRY, "", "attempt", "", RUN, run, RERUN_AT, now.toString()), keys.queue());
    }

    /** Whether the job ran again once because its parts were lost ({@link #rerun}). */
    boolean ranAgain(String id) {
        return redis.hexists(keys.job(id), RERUN_AT);
    }

    private static Map<String, String> cancelled(Instant now) {
        return Map.of("finishedAt", now.toString(), "error", CANCELLED_BY_CLIENT);
    }

    /**
     * Makes {@code move} if the job's status is one it may be made from, setting {@code fields} with it; while
     * {@code attempt} holds the job, unless it is empty.
     *
     * @throws AttemptLost when another attempt holds the job: nothing was changed
     */
    Optional<String> move(String id, String attempt, JobMove move, Map<String, String> fields) {
        String guards = (move.refusedWhileCancelAsked() ? "cancel " : "") + (move.refusedOnceSplit() ? "unsplit" : "");
        return move(id, attempt, move, guards.strip(), fields);
    }

    private Optional<String> move(String id, String attempt, JobMove move, String guard, Map<String, String> fields) {
        return move(id, attempt, move, guard, fields, null);
    }

    /** @param queue where the job gets a queue entry with the move, in the same step; null: none */
    private Optional<String> move(String id, String attempt, JobMove move, String guard, Map<String, String> fields,
            String queue) {
        List<String> args = new ArrayList<>();
        args.add(id);
        args.add(move.to().value());
        args.add(move.from().stream().map(JobStatus::value).collect(Collectors.joining(" ")));
        args.add(keys.events());
        args.add(attempt);
        args.add(guard);
        JobHash.addFields(args, fields);
        List<String> keyList = new ArrayList<>(List.of(keys.job(id), keys.indexes(), keys.eventLog(),
                keys.activeJobs()));
        if (queue != null) {
            keyList.add(queue);
        }
        Object answer = redis.eval(TransitionScript.LUA, keyList, args);
        if ("lost".equals(answer)) {
            throw new AttemptLost(id, attempt);
        }
        return answer(answer);
    }

    private static Optional<String> answer(Object answer) {
        return "ok".equals(answer) ? Optional.empty() : Optional.of(String.valueOf(answer));
    }
}
