package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lists of jobs from the indexes, against a real Redis: newest first, one tenant's, one status's, or both. */
class JobListsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private String prefix;
    private JobStore store;
    private JobLists lists;

    @BeforeEach
    void jobs() {
        prefix = "lists:" + System.nanoTime() + ":";
        store = new JobStore(SERVER.client(), prefix);
        lists = new JobLists(store);
    }

    private String job(String tenant, long createdAt, boolean running) {
        String id = JobIds.next();
        store.create(Job.queued(id, "api", tenant, "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1,
                Instant.ofEpochMilli(createdAt)));
        if (running) {
            new JobTransitions(store).move(id, "", JobMove.BEGIN, Map.of("attempt", "a", "worker", "w"));
        }
        return id;
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    @Test
    void lists_one_tenants_jobs_in_one_status_newest_first_and_leaves_nothing_behind() {
        String a1 = job("acme", 1000, true);
        String a2 = job("acme", 2000, false);
        String a3 = job("acme", 3000, true);
        String a4 = job("acme", 4000, false);
        String b1 = job("other", 1500, true);
        job("other", 2500, false);

        assertEquals(List.of(a3, a1), ids(lists.list(Tenancy.of("acme"), JobStatus.RUNNING, 10)));
        assertEquals(List.of(a3), ids(lists.list(Tenancy.of("acme"), JobStatus.RUNNING, 1)));
        assertEquals(List.of(a4, a2), ids(lists.list(Tenancy.of("acme"), JobStatus.QUEUED, 10)));
        assertEquals(List.of(), ids(lists.list(Tenancy.of("acme"), JobStatus.FAILED, 10)));
        assertEquals(List.of(a4, a3, a2), ids(lists.list(Tenancy.of("acme"), null, 3)));
        assertEquals(List.of(b1), ids(lists.list(Tenancy.of("other"), JobStatus.RUNNING, 10)));
        assertEquals(List.of(a3, b1, a1), ids(lists.list(Tenancy.ANY, JobStatus.RUNNING, 10)));
        assertEquals(List.of(), List.copyOf(SERVER.client().keys(prefix + "listing:*")), "no scratch key left");
    }
}
