package io.videotranscoder.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** Recent jobs, newest first, from the indexes {@link JobStore} keeps: all jobs, one status, or one tenant's. */
public class JobLists {

    /** A tenant's jobs are read from its index this many at a time while a status filter leaves too few. */
    private static final int PAGE = 200;

    private final UnifiedJedis redis;
    private final JobKeys keys;

    public JobLists(JobStore store) {
        this.redis = store.redis();
        this.keys = store.keys();
    }

    /**
     * Newest first, of the tenants {@code tenancy} sees, optionally only those in {@code status}. One tenant's are read
     * from its index, page by page while a status leaves fewer than {@code limit}.
     */
    public List<Job> list(Tenancy tenancy, JobStatus status, int limit) {
        if (tenancy.tenant() == null) {
            return read(redis.zrevrange(keys.index(status), 0, limit - 1L));
        }
        List<Job> jobs = new ArrayList<>(limit);
        String index = keys.tenantIndex(tenancy.tenant());
        int page = status == null ? limit : Math.max(limit, PAGE);
        for (long start = 0; jobs.size() < limit; start += page) {
            List<String> ids = redis.zrevrange(index, start, start + page - 1);
            read(ids).stream().filter(job -> status == null || job.status() == status).limit(limit - jobs.size())
                    .forEach(jobs::add);
            if (ids.size() < page) {
                break;
            }
        }
        return jobs;
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
