package io.videotranscoder.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.videotranscoder.refusal.Refusal;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Jobs in Redis: a hash per job, a sorted index of all jobs and one per status (score: creation time). Every status
 * change is one script that checks the current status first, so transitions are enforced across all nodes; the same
 * script records the change's event in the {@link JobEventLog}.
 */
public class JobStore {

    private static final String CREATE = JobEventLog.LUA + """
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('ZADD', KEYS[2] .. 'all', ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[2] .. 'queued', ARGV[2], ARGV[1])
            record_event(KEYS[1], KEYS[3], ARGV[1], 'job.queued')
            return 1""";

    private static final String DELETE = """
            redis.call('DEL', KEYS[1])
            for i = 2, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
            redis.call('PUBLISH', ARGV[2], ARGV[1] .. ' deleted')
            return 1""";

    /** ARGV[5], when not empty, is the attempt that must hold the job (see {@link #ATTEMPT_WRITE}). */
    private static final String TRANSITION = JobEventLog.LUA + """
            local current = redis.call('HGET', KEYS[1], 'status')
            if not current then return 'missing' end
            if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'attempt') ~= ARGV[5] then return 'lost' end
            local allowed = false
            for s in string.gmatch(ARGV[3], '%S+') do
              if s == current then allowed = true end
            end
            if not allowed then return current end
            redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 6))
            if current ~= ARGV[2] then
              local score = redis.call('ZSCORE', KEYS[2] .. 'all', ARGV[1])
              redis.call('ZREM', KEYS[2] .. current, ARGV[1])
              redis.call('ZADD', KEYS[2] .. ARGV[2], score, ARGV[1])
              redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[2])
              record_event(KEYS[1], KEYS[3], ARGV[1], event_of(ARGV[2]))
            end
            return 'ok'""";

    /** A cancel of a running job is a request: its worker stops FFmpeg, then stores {@code cancelled}. */
    private static final String REQUEST_CANCEL = """
            local current = redis.call('HGET', KEYS[1], 'status')
            if not current then return 'missing' end
            if current ~= 'running' then return current end
            redis.call('HSET', KEYS[1], 'cancelRequestedAt', ARGV[1])
            return 'ok'""";

    /**
     * A write of the attempt that holds the job (the one whose token the begin transition stored in {@code attempt}):
     * refused once another attempt took the job over, so that a worker that lost its lease changes nothing.
     */
    private static final String ATTEMPT_WRITE = """
            local holder = redis.call('HGET', KEYS[1], 'attempt')
            if holder ~= ARGV[1] then return 'lost' end
            if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
            return 'ok'""";

    /**
     * A progress write of the attempt that holds the job (as {@link #ATTEMPT_WRITE}) that also records a
     * {@code job.progress} event, when the percent moved and none was recorded for ARGV[2] ms.
     */
    private static final String PROGRESS_WRITE = JobEventLog.LUA + """
            local holder = redis.call('HGET', KEYS[1], 'attempt')
            if holder ~= ARGV[1] then return 'lost' end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local last = redis.call('HMGET', KEYS[1], 'progressEventAt', 'progressEventPercent', 'progress', 'id')
            if now - tonumber(last[1] or '0') >= tonumber(ARGV[2]) and last[2] ~= last[3] then
              redis.call('HSET', KEYS[1], 'progressEventAt', string.format('%.0f', now), 'progressEventPercent', last[3])
              record_event(KEYS[1], KEYS[2], last[4], 'job.progress')
            end
            return 'ok'""";

    /** An ended job's error, set only while its record exists (after an outcome no attempt writes any more). */
    private static final String ENDED_ERROR = """
            local current = redis.call('HGET', KEYS[1], 'status')
            if current ~= 'succeeded' and current ~= 'failed' and current ~= 'cancelled' then return 0 end
            redis.call('HSET', KEYS[1], 'error', ARGV[1])
            return 1""";

    private final UnifiedJedis redis;
    private final String prefix;

    /** @param prefix key prefix, e.g. {@code transcoder:} */
    public JobStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    private String key(String id) {
        return prefix + "job:" + id;
    }

    /** Where each status change ({@code <id> <status>}) and removal ({@code <id> deleted}) is published. */
    public String eventChannel() {
        return prefix + "events";
    }

    private String index() {
        return prefix + "index:";
    }

    public void create(Job job) {
        List<String> args = new ArrayList<>(List.of(job.id(), Long.toString(job.createdAt().toEpochMilli())));
        JobHash.toHash(job).forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.eval(CREATE, List.of(key(job.id()), index(), JobEventLog.key(prefix)), args);
    }

    public Optional<Job> find(String id) {
        if (!JobIds.valid(id)) {
            return Optional.empty();
        }
        Map<String, String> hash = redis.hgetAll(key(id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(JobHash.fromHash(hash));
    }

    /** The job a request names: a refusal (not found) when there is none, an id that is not even a job id included. */
    public Job existing(String id) {
        return find(id).orElseThrow(() -> Refusal.notFound("There is no job with id '" + abbreviate(id) + "'."));
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id;
    }

    /** Only the status (one field): for the checks made every second. Empty when there is no such job. */
    public Optional<JobStatus> status(String id) {
        return Optional.ofNullable(redis.hget(key(id), "status")).map(JobStatus::of);
    }

    /** The token of the attempt that began the job last, if one did. */
    public Optional<String> attempt(String id) {
        return Optional.ofNullable(redis.hget(key(id), "attempt"));
    }

    /**
     * Makes {@code move} if the job's status is one it may be made from, setting {@code fields} with it; while
     * {@code attempt} holds the job, unless it is empty. Callers name the move through {@link JobTransitions}.
     *
     * @return the status the job had when the move was refused, or empty when it was made
     * @throws AttemptLost when another attempt holds the job: nothing was changed
     */
    Optional<String> move(String id, String attempt, JobMove move, Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(id);
        args.add(move.to().value());
        args.add(move.from().stream().map(JobStatus::value).collect(Collectors.joining(" ")));
        args.add(eventChannel());
        args.add(attempt);
        addFields(args, fields);
        Object answer = redis.eval(TRANSITION, List.of(key(id), index(), JobEventLog.key(prefix)), args);
        if ("lost".equals(answer)) {
            throw new AttemptLost(id, attempt);
        }
        return "ok".equals(answer) ? Optional.empty() : Optional.of(String.valueOf(answer));
    }

    /**
     * Sets {@code fields} (none: only checks) while {@code attempt} holds the job.
     *
     * @throws AttemptLost when another attempt holds the job (or it is gone): nothing was changed
     */
    public void update(String id, String attempt, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(attempt));
        addFields(args, fields);
        if (!"ok".equals(redis.eval(ATTEMPT_WRITE, List.of(key(id)), args))) {
            throw new AttemptLost(id, attempt);
        }
    }

    /**
     * Sets a running job's progress fields, as {@link #update}, and records a {@code job.progress} event at most every
     * {@link JobEventLog#PROGRESS_EVERY}.
     *
     * @throws AttemptLost when another attempt holds the job (or it is gone): nothing was changed
     */
    public void progress(String id, String attempt, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(attempt, Long.toString(JobEventLog.PROGRESS_EVERY.toMillis())));
        addFields(args, fields);
        if (!"ok".equals(redis.eval(PROGRESS_WRITE, List.of(key(id), JobEventLog.key(prefix)), args))) {
            throw new AttemptLost(id, attempt);
        }
    }

    /** Records what went wrong after a job ended (e.g. handing an inbox result over); nothing for a running job. */
    public void recordEndedError(String id, String reason) {
        redis.eval(ENDED_ERROR, List.of(key(id)), List.of(reason));
    }

    private static void addFields(List<String> args, Map<String, String> fields) {
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
    }

    /**
     * Asks the worker of a running job to stop it.
     *
     * @return the job's status when it is not running (nothing is asked then), or empty when the request is stored
     */
    public Optional<String> requestCancel(String id, Instant now) {
        Object answer = redis.eval(REQUEST_CANCEL, List.of(key(id)), List.of(now.toString()));
        return "ok".equals(answer) ? Optional.empty() : Optional.of(String.valueOf(answer));
    }

    /** Whether the job's worker must stop it: it was cancelled, a cancel was asked, or the job is gone. */
    public boolean mustStop(String id) {
        List<String> fields = redis.hmget(key(id), "status", "cancelRequestedAt");
        return fields.get(0) == null || JobStatus.of(fields.get(0)) == JobStatus.CANCELLED
               || fields.get(1) != null && !fields.get(1).isEmpty();
    }

    /** Ids in an index (all jobs, or one status) created before {@code before}, oldest first, at most {@code limit}. */
    public List<String> createdBefore(JobStatus status, Instant before, int limit) {
        String indexKey = index() + (status == null ? "all" : status.value());
        return redis.zrangeByScore(indexKey, 0, before.toEpochMilli(), 0, limit);
    }

    /** Removes a job's record and its index entries. */
    public void delete(String id) {
        List<String> keys = new ArrayList<>(List.of(key(id), index() + "all"));
        for (JobStatus status : JobStatus.values()) {
            keys.add(index() + status.value());
        }
        redis.eval(DELETE, keys, List.of(id, eventChannel()));
    }

    /** A lock held by one process for {@code millis}, e.g. so that one instance does the housekeeping of a period. */
    public boolean lock(String name, long millis) {
        return "OK".equals(redis.set(prefix + "lock:" + name, "1", SetParams.setParams().nx().px(millis)));
    }

    /** How many jobs are recorded, whatever their status. */
    public long count() {
        return redis.zcard(index() + "all");
    }

    /** Newest first, optionally only those in {@code status}. */
    public List<Job> list(JobStatus status, int limit) {
        String indexKey = index() + (status == null ? "all" : status.value());
        List<String> ids = redis.zrevrange(indexKey, 0, limit - 1L);
        List<Response<Map<String, String>>> answers = new ArrayList<>(ids.size());
        try (var pipeline = redis.pipelined()) {
            for (String id : ids) {
                answers.add(pipeline.hgetAll(key(id)));
            }
            pipeline.sync();
        }
        List<Job> jobs = new ArrayList<>(ids.size());
        for (Response<Map<String, String>> answer : answers) {
            Map<String, String> hash = answer.get();
            if (!hash.isEmpty()) {
                jobs.add(JobHash.fromHash(hash));
            }
        }
        return jobs;
    }
}
