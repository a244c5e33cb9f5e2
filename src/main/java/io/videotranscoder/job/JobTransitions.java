package io.videotranscoder.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status changes of a job by name, each with the fields it writes. An {@code attempt} fences the change: made only
 * while that attempt holds the job, else {@link AttemptLost} ("" for a change made outside any attempt).
 * Each returns the status the job had when the move was refused, or empty when it was made.
 */
public class JobTransitions {

    private static final String CANCELLED_BY_CLIENT = "Cancelled at the client's request.";

    private final JobStore store;

    public JobTransitions(JobStore store) {
        this.store = store;
    }

    /** A worker begins an attempt, whose token fences every later write of it. */
    public Optional<String> begin(String id, String attempt, String worker, long deliveries, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("startedAt", now.toString());
        fields.put("attempts", Long.toString(deliveries));
        fields.put("worker", worker);
        fields.put("progress", "0");
        fields.put("attempt", attempt);
        return store.move(id, "", JobMove.BEGIN, fields);
    }

    public Optional<String> succeed(String id, String attempt, List<Job.Output> outputs, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>(JobHash.outputFields(outputs));
        fields.put("finishedAt", now.toString());
        fields.put("progress", "100");
        fields.put("error", ""); // what an earlier attempt said no longer applies
        return store.move(id, attempt, JobMove.SUCCEED, fields);
    }

    public Optional<String> fail(String id, String attempt, String reason, Instant now) {
        return store.move(id, attempt, JobMove.FAIL, Map.of("error", reason, "finishedAt", now.toString()));
    }

    /** Back on the queue; {@code error} says why, until an attempt ends otherwise. */
    public Optional<String> requeue(String id, String attempt, String error) {
        return store.move(id, attempt, JobMove.REQUEUE, Map.of("error", error));
    }

    /** A worker stores the cancel a client asked for. */
    public Optional<String> cancel(String id, String attempt, Instant now) {
        return store.move(id, attempt, JobMove.CANCEL, cancelled(now));
    }

    /** A client cancels a job that no worker has begun. */
    public Optional<String> cancelQueued(String id, Instant now) {
        return store.move(id, "", JobMove.CANCEL_QUEUED, cancelled(now));
    }

    /** A client queues a failed job again, as if new. */
    public Optional<String> retry(String id) {
        return store.move(id, "", JobMove.RETRY, Map.of("error", "", "progress", "0", "finishedAt", "",
                "cancelRequestedAt", ""));
    }

    private static Map<String, String> cancelled(Instant now) {
        return Map.of("finishedAt", now.toString(), "error", CANCELLED_BY_CLIENT);
    }
}
