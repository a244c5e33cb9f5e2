package io.videotranscoder.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.refusal.Refusal;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Job records in Redis ({@link JobKeys}): created, read, listed and removed with their index entries. Status changes
 * are {@link JobTransitions}; an attempt's own writes go through its {@link AttemptFence}. Creating a job records its
 * {@code job.queued} in the {@link JobEventLog} in the same script.
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

    /** An ended job's error, set only while its record exists (after an outcome no attempt writes any more). */
    private static final String ENDED_ERROR = """
            local current = redis.call('HGET', KEYS[1], 'status')
            if current ~= 'succeeded' and current ~= 'failed' and current ~= 'cancelled' then return 0 end
            redis.call('HSET', KEYS[1], 'error', ARGV[1])
            return 1""";

    private final UnifiedJedis redis;
    private final JobKeys keys;

    /** @param prefix key prefix, e.g. {@code transcoder:} */
    public JobStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.keys = new JobKeys(prefix);
    }

    UnifiedJedis redis() {
        return redis;
    }

    JobKeys keys() {
        return keys;
    }

    /** Where each status change ({@code <id> <status>}) and removal ({@code <id> deleted}) is published. */
    public String eventChannel() {
        return keys.events();
    }

    public void create(Job job) {
        List<String> args = new ArrayList<>(List.of(job.id(), Long.toString(job.createdAt().toEpochMilli())));
        JobHash.addFields(args, JobHash.toHash(job));
        redis.eval(CREATE, List.of(keys.job(job.id()), keys.indexes(), keys.eventLog()), args);
    }

    public Optional<Job> find(String id) {
        if (!JobIds.valid(id)) {
            return Optional.empty();
        }
        Map<String, String> hash = redis.hgetAll(keys.job(id));
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
        return Optional.ofNullable(redis.hget(keys.job(id), "status")).map(JobStatus::of);
    }

    /** The token of the attempt that began the job last, if one did. */
    public Optional<String> attempt(String id) {
        return Optional.ofNullable(redis.hget(keys.job(id), "attempt"));
    }

    /** Records what went wrong after a job ended (e.g. handing an inbox result over); nothing for a running job. */
    public void recordEndedError(String id, String reason) {
        redis.eval(ENDED_ERROR, List.of(keys.job(id)), List.of(reason));
    }

    /** Whether the job's worker must stop it: it was cancelled, a cancel was asked, or the job is gone. */
    public boolean mustStop(String id) {
        List<String> fields = redis.hmget(keys.job(id), "status", "cancelRequestedAt");
        return fields.get(0) == null || JobStatus.of(fields.get(0)) == JobStatus.CANCELLED
               || fields.get(1) != null && !fields.get(1).isEmpty();
    }

    /** Ids in an index (all jobs, or one status) created before {@code before}, oldest first, at most {@code limit}. */
    public List<String> createdBefore(JobStatus status, Instant before, int limit) {
        return redis.zrangeByScore(keys.index(status), 0, before.toEpochMilli(), 0, limit);
    }

    /** Removes a job's record and its index entries. */
    public void delete(String id) {
        List<String> keyList = new ArrayList<>(List.of(keys.job(id), keys.index(null)));
        for (JobStatus status : JobStatus.values()) {
            keyList.add(keys.index(status));
        }
        redis.eval(DELETE, keyList, List.of(id, keys.events()));
    }

    /** How many jobs are recorded, whatever their status. */
    public long count() {
        return redis.zcard(keys.index(null));
    }

    /** Newest first, optionally only those in {@code status}. */
    public List<Job> list(JobStatus status, int limit) {
        List<String> ids = redis.zrevrange(keys.index(status), 0, limit - 1L);
        List<Response<Map<String, String>>> answers = new ArrayList<>(ids.size());
        try (var pipeline = redis.pipelined()) {
            for (String id : ids) {
                answers.add(pipeline.hgetAll(keys.job(id)));
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
