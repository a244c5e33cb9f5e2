package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Recent jobs, newest first, from the indexes {@link JobStore} keeps: all jobs, one status, or one tenant's. */
public class JobLists {

    /**
     * The newest of one tenant's jobs in one status: its index and the status's intersected in Redis (in time of the
     * smaller), so that no job is read that is not listed. Read page by page and filtered here, a tenant's whole
     * history was read for a status few of its jobs were in.
     */
    private static final String TENANT_IN_STATUS = """
            redis.call('ZINTERSTORE', KEYS[3], 2, KEYS[1], KEYS[2], 'WEIGHTS', 1, 0)
            local ids = redis.call('ZREVRANGE', KEYS[3], 0, tonumber(ARGV[1]) - 1)
            redis.call('DEL', KEYS[3])
            return ids""";

    private final UnifiedJedis redis;
    private final JobKeys keys;

    public JobLists(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /** Newest first, of the tenants {@code tenancy} sees, optionally only those in {@code status}. */
    @SuppressWarnings("unchecked")
    public List<Job> list(Tenancy tenancy, JobStatus status, int limit) {
        if (tenancy.tenant() == null) {
            return read(redis.zrevrange(keys.index(status), 0, limit - 1L));
        }
        String tenantIndex = keys.tenantIndex(tenancy.tenant());
        if (status == null) {
            return read(redis.zrevrange(tenantIndex, 0, limit - 1L));
        }
        String scratch = keys.prefix() + "listing:" + UUID.randomUUID();
        return read((List<String>) redis.eval(TENANT_IN_STATUS, List.of(tenantIndex, keys.index(status), scratch),
                List.of(Integer.toString(limit))));
    }

    private List<Job> read(List<String> ids) {
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
