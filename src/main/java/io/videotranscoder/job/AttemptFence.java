package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** @throws AttemptLost when another attempt holds the job (or it is gone) */
    void check(String id, String attempt) {
        write(id, attempt, Map.of());
    }
}
