package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.refusal.Refusal;
import redis.clients.jedis.UnifiedJedis;

/**
 * Job records in Redis ({@link JobKeys}): created, read, listed and removed with their index entries. Status changes
 * are {@link JobTransitions}; an attempt's own writes go through its {@link AttemptFence}. Creating a job records its
 * {@code job.queued} in the {@link JobEventLog} in the same script, and publishes it.
 */
public class JobStore {

    /**
     * A field of an ended job, set only while it is ended (after an outcome no attempt writes any more). It marks a job
     * being removed, which frees memory: allowed when Redis is full (whose writes are refused), which stayed full.
     */
    private static final String ENDED_FIELD = """
            #!lua flags=allow-oom
            local current = redis.call('HGET', KEYS[1], 'status')
            if current == 'queued' or current == 'running' then return 0 end
            if current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
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

    /**
     * Where each status change ({@code <id> <status>}, a new job's {@code <id> queued} included) and removal
     * ({@code <id> deleted}) is published.
     */
    public String eventChannel() {
        return keys.events();
    }

    /** Where each write of a running job's progress is published ({@code <id>}): the hash holds the figures. */
    public String progressChannel() {
        return keys.progress();
    }

    /** Stores and queues a job no API key submitted (no quota). */
    public void create(Job job) {
        create(job, JobOwner.keyless(job.tenant()), false, false);
    }

    /**
     * Stores a job and queues it; one its owner's key submitted counts among the key's active jobs until it ends. With
     * {@code splitOff}, the client asked that it run as one encode, however long its input.
     *
     * @param inputPending whether the job's input was stored as {@link PendingInputs#note}: refused (unavailable) when
     *                     housekeeping gave it up meanwhile
     * @throws Refusal (quota exceeded) when the key has {@link JobOwner#maxActiveJobs()} active jobs already: nothing
     *                 is stored
     */
    public void create(Job job, JobOwner owner, boolean splitOff, boolean inputPending) {
        List<String> keyList = new ArrayList<>(List.of(keys.job(job.id()), keys.indexes(), keys.eventLog(),
                keys.tenantIndex(job.tenant()), keys.queue()));
        List<String> args = new ArrayList<>(List.of(job.id(), Long.toString(job.createdAt().toEpochMilli()),
                Integer.toString(owner.maxActiveJobs()), keys.events(), inputPending ? keys.pendingInputs() : ""));
        Map<String, String> fields = new LinkedHashMap<>(JobHash.toHash(job));
        if (splitOff) {
            fields.put("split", "off");
        }
        if (owner.keyId() != null) {
            keyList.add(keys.activeJobs() + owner.keyId());
            fields.put("owner", owner.keyId());
        }
        JobHash.addFields(args, fields);
        Object created = redis.eval(CreateScript.LUA, keyList, args);
        if (Long.valueOf(0).equals(created)) {
            throw owner.overQuota();
        }
        if (Long.valueOf(-1).equals(created)) {
            throw new Refusal(Refusal.Kind.UNAVAILABLE, "The input was stored longer ago than an unfinished upload is "
                    + "kept, and was given up: send the file again.", null);
        }
    }

    /**
     * Refuses early what {@link #create} would refuse for the quota, before the input is stored (a copy of gigabytes
     * into an object store, for a finished resumable upload); create checks again, in one step with the count.
     */
    public void requireQuota(JobOwner owner) {
        if (owner.keyId() != null && owner.maxActiveJobs() > 0 && activeJobs(owner.keyId()) >= owner.maxActiveJobs()) {
            throw owner.overQuota();
        }
    }

    /** How many jobs the key {@code keyId} has queued or running. */
    public long activeJobs(String keyId) {
        return redis.scard(keys.activeJobs() + keyId);
    }

    public Optional<Job> find(String id) {
        Map<String, String> hash = record(id);
        return hash.isEmpty() ? Optional.empty() : Optional.of(JobHash.fromHash(hash));
    }

    /** The job's record as stored, in one read: the job, and the fields kept beside it (its attempt, split run). */
    Map<String, String> record(String id) {
        return JobIds.valid(id) ? redis.hgetAll(keys.job(id)) : Map.of();
    }

    /** The job a request names: a refusal (not found) when there is none, an id that is not even a job id included. */
    public Job existing(String id) {
        return existing(id, Tenancy.ANY);
    }

    /** The same for a request that may see only some tenants' jobs: another tenant's job is not found either. */
    public Job existing(String id, Tenancy tenancy) {
        return find(id).filter(tenancy::sees)
                .orElseThrow(() -> Refusal.notFound("There is no job with id '" + abbreviate(id) + "'."));
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

    /** Whether the job may be split into segments: the client did not turn splitting off for it. */
    public boolean splitAllowed(String id) {
        return !"off".equals(redis.hget(keys.job(id), "split"));
    }

    /**
     * Records a fact of an ended job (what went wrong after it ended, where its result went); nothing otherwise.
     *
     * @return false when the job is no longer ended (retried meanwhile); true when recorded, or when it is gone
     */
    public boolean recordEnded(String id, String field, String value) {
        return Long.valueOf(1).equals(redis.eval(ENDED_FIELD, List.of(keys.job(id)), List.of(field, value)));
    }

    /** Whether the job is over (succeeded, failed or cancelled) or gone. */
    public boolean ended(String id) {
        return status(id).map(JobStatus::terminal).orElse(true);
    }

    /** One field of the job's hash, if it is set (a part's last retry reason, {@link PartEnds#errorField}; ...). */
    public Optional<String> field(String id, String field) {
        return Optional.ofNullable(redis.hget(keys.job(id), field));
    }

    /** Where the job stands for its worker, in one read: each watch period asks it of each run. */
    public JobStanding standing(String id) {
        return JobStanding.of(redis.hmget(keys.job(id), "status", "cancelRequestedAt"));
    }

    /** Removes a job's record and its index entries. */
    public void delete(String id) {
        new JobDeletion(redis, keys).delete(id);
    }

    /** How many jobs are recorded, whatever their status. */
    public long count() {
        return redis.zcard(keys.index(null));
    }
}
