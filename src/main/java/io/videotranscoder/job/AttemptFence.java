package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.videotranscoder.redis.RedisClockLua;
import redis.clients.jedis.UnifiedJedis;

/**
 * The writes of the attempt that holds a job (the one whose token the begin transition stored in {@code attempt}):
 * refused once another attempt took the job over, so that a worker that lost its lease changes nothing.
 */
class AttemptFence {

    private static final String ATTEMPT_WRITE = """
            local holder = redis.call('HGET', KEYS[1], 'attempt')
            if holder ~= ARGV[1] then return 'lost' end
            if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
            return 'ok'""";

    /**
     * A progress write (as {@link #ATTEMPT_WRITE}) that also records a {@code job.progress} in the
     * {@link JobEventLog} when the percent moved and none was recorded for ARGV[2] ms, and publishes the job's id on
     * the progress channel ARGV[3] every time, for live readers (event streams) that want more than the log keeps.
     */
    private static final String PROGRESS_WRITE = JobEventLog.LUA + RedisClockLua.NOW + """
            local holder = redis.call('HGET', KEYS[1], 'attempt')
            if holder ~= ARGV[1] then return 'lost' end
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            local last = redis.call('HMGET', KEYS[1], 'progressEventAt', 'progressEventPercent', 'progress', 'id')
            if now - tonumber(last[1] or '0') >= tonumber(ARGV[2]) and last[2] ~= last[3] then
              redis.call('HSET', KEYS[1], 'progressEventAt', string.format('%.0f', now), 'progressEventPercent', last[3])
              record_event(KEYS[1], KEYS[2], last[4], 'job.progress')
            end
            redis.call('PUBLISH', ARGV[3], last[4])
            return 'ok'""";

    private final UnifiedJedis redis;
    private final JobKeys keys;

    AttemptFence(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /**
     * Sets {@code fields} (none: only checks) while {@code attempt} holds the job.
     *
     * @throws AttemptLost when another attempt holds the job (or it is gone): nothing was changed
     */
    void write(String id, String attempt, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(attempt));
        JobHash.addFields(args, fields);
        if (!"ok".equals(redis.eval(ATTEMPT_WRITE, List.of(keys.job(id)), args))) {
            throw new AttemptLost(id, attempt);
        }
    }

    /**
     * Sets a running job's progress {@code fields}, as {@link #write}, recording a {@code job.progress} at most every
     * {@link JobEventLog#PROGRESS_EVERY}.
     *
     * @throws AttemptLost when another attempt holds the job (or it is gone): nothing was changed
     */
    void progress(String id, String attempt, Map<String, String> fields) {
        List<String> args = new ArrayList<>(List.of(attempt, Long.toString(JobEventLog.PROGRESS_EVERY.toMillis()),
                keys.progress()));
        JobHash.addFields(args, fields);
        if (!"ok".equals(redis.eval(PROGRESS_WRITE, List.of(keys.job(id), keys.eventLog()), args))) {
            throw new AttemptLost(id, attempt);
        }
    }

    /** @throws AttemptLost when another attempt holds the job (or it is gone) */
    void check(String id, String attempt) {
        write(id, attempt, Map.of());
    }
}
