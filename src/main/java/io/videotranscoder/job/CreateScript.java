package io.videotranscoder.job;

/** The Lua script that records a new job ({@link JobStore#create}): its checks, record, indexes, event and entry. */
final class CreateScript {

    /**
     * Stores the job and queues its entry (KEYS[5]) in one step: queued apart, a failed queueing answered the client
     * 503 for a job housekeeping then queued, and the client's second try was a second job. KEYS[6], when given, is
     * the set of the submitting key's active jobs: the job joins it unless it holds ARGV[3] (above 0) already, in which
     * case nothing is stored. Counting and adding in one script, every API instance agrees. ARGV[5], when not empty,
     * is the set of inputs stored before their jobs are recorded ({@link PendingInputs}): the job's must be there
     * still (not given up by housekeeping), and leaves it once the job is stored (a refused job's stays, for
     * housekeeping to remove what its submission stored, should the submission not).
     */
    static final String LUA = JobEventLog.LUA + """
            if ARGV[5] ~= '' and not redis.call('ZSCORE', ARGV[5], ARGV[1]) then return -1 end
            if #KEYS > 5 then
              local limit = tonumber(ARGV[3])
              if limit > 0 and redis.call('SCARD', KEYS[6]) >= limit then return 0 end
              redis.call('SADD', KEYS[6], ARGV[1])
            end
            if ARGV[5] ~= '' then redis.call('ZREM', ARGV[5], ARGV[1]) end
            redis.call('HSET', KEYS[1], unpack(ARGV, 6))
            redis.call('ZADD', KEYS[2] .. 'all', ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[2] .. 'queued', ARGV[2], ARGV[1])
            redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
            record_event(KEYS[1], KEYS[3], ARGV[1], 'job.queued')
            redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' queued')
            redis.call('XADD', KEYS[5], '*', 'job', ARGV[1])
            return 1""";

    private CreateScript() {
    }
}
