package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;

import redis.clients.jedis.UnifiedJedis;

/** The indexes of jobs by creation time (all jobs, or one status), as housekeeping pages through them. */
final class JobIndexes {

    private final UnifiedJedis redis;
    private final JobKeys keys;

    JobIndexes(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /**
     * Ids in an index (all jobs, or one status) created before {@code before}, oldest first past the {@code skip}
     * oldest, at most {@code limit}.
     */
    List<String> createdBefore(JobStatus status, Instant before, int skip, int limit) {
        return redis.zrangeByScore(keys.index(status), 0, before.toEpochMilli(), skip, limit);
    }

    /** Whether the job is in an index (all jobs, or one status). */
    boolean indexed(JobStatus status, String id) {
        return redis.zscore(keys.index(status), id) != null;
    }
}
