package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;

/**
 * A job's record deleted in one script with what points at it: its place in the index of all jobs and in its status',
 * its tenant's index and its key's active jobs; the deletion is published. A removal deletes only while its own mark
 * is on the record ({@link JobRemoval}).
 */
final class JobDeletion {

    /**
     * ARGV[3] and ARGV[4] precede the job's tenant and owner in the keys of its tenant index and its key's set; ARGV[5]
     * and ARGV[6], when given: the field that must hold the mark ARGV[6] for the record to go.
     */
    private static final String DELETE = """
            if ARGV[5] and redis.call('EXISTS', KEYS[1]) == 1
               and not string.find(' ' .. (redis.call('HGET', KEYS[1], ARGV[5]) or '') .. ' ', ' ' .. ARGV[6] .. ' ',
                                   1, true) then
              return 0
            end
            local tenant = redis.call('HGET', KEYS[1], 'tenant')
            local owner = redis.call('HGET', KEYS[1], 'owner')
            redis.call('DEL', KEYS[1])
            for i = 2, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
            if tenant then redis.call('ZREM', ARGV[3] .. tenant, ARGV[1]) end
            if owner then redis.call('SREM', ARGV[4] .. owner, ARGV[1]) end
            redis.call('PUBLISH', ARGV[2], ARGV[1] .. ' deleted')
            return 1""";

    private final UnifiedJedis redis;
    private final JobKeys keys;

    JobDeletion(UnifiedJedis redis, JobKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    void delete(String id) {
        redis.eval(DELETE, deleted(id), List.of(id, keys.events(), keys.tenantIndexes(), keys.activeJobs()));
    }

    /**
     * Deletes the job's record and index entries while its {@code field} holds {@code mark} (or the record is gone).
     *
     * @return false when the mark was not there: nothing was deleted
     */
    boolean deleteMarked(String id, String field, String mark) {
        return Long.valueOf(1).equals(redis.eval(DELETE, deleted(id), List.of(id, keys.events(),
                keys.tenantIndexes(), keys.activeJobs(), field, mark)));
    }

    private List<String> deleted(String id) {
        List<String> keyList = new ArrayList<>(List.of(keys.job(id), keys.index(null)));
        for (JobStatus status : JobStatus.values()) {
            keyList.add(keys.index(status));
        }
        return keyList;
    }
}
