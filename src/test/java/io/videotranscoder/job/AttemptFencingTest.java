package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every write of an attempt that lost its job to a later attempt is refused, against a real Redis. */
class AttemptFencingTest {

    private static final String STALE = "00000000aaaaaaaa";
    private static final String HOLDER = "11111111bbbbbbbb";

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private JobStore store;
    private JobTransitions moves;
    private AttemptFence fence;
    private String id;

    /** A job begun by the stale attempt, then taken over (begun again) by the holder. */
    @BeforeEach
    void takenOver() {
        store = new JobStore(SERVER.client(), "fencing:" + System.nanoTime() + ":");
        moves = new JobTransitions(store);
        fence = new AttemptFence(store);
        id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        for (String attempt : List.of(STALE, HOLDER)) {
            assertTrue(moves.move(id, "", JobMove.BEGIN, Map.of("attempt", attempt, "worker", attempt)).isEmpty());
        }
    }

    @Test
    void a_stale_attempt_cannot_change_the_status() {
        assertThrows(AttemptLost.class, () -> moves.move(id, STALE, JobMove.FAIL,
                Map.of("error", "moov atom not found")));
        assertThrows(AttemptLost.class, () -> moves.move(id, STALE, JobMove.REQUEUE,
                Map.of("error", "retrying")));

        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(null, job.error());
        assertEquals(List.of(id), new JobLists(store).list(Tenancy.ANY, JobStatus.RUNNING, 10).stream().map(Job::id)
                .toList());
    }

    @Test
    void a_stale_attempt_cannot_write_progress() {
        fence.write(id, HOLDER, JobHash.progressFields(new Job.Progress(40, 1.0, 25.0, 12L)));

        assertThrows(AttemptLost.class,
                () -> fence.write(id, STALE, JobHash.progressFields(new Job.Progress(90, 2.0, 50.0, 1L))));

        assertEquals(40, store.find(id).orElseThrow().progress().percent());
    }

    @Test
    void a_stale_attempt_cannot_record_outputs_or_success() {
        List<Job.Output> outputs = List.of(new Job.Output("output.mp4", 10));

        assertThrows(AttemptLost.class, () -> fence.write(id, STALE, JobHash.outputFields(outputs)));
        assertThrows(AttemptLost.class, () -> moves.move(id, STALE, JobMove.SUCCEED,
                JobHash.outputFields(outputs)));
        assertThrows(AttemptLost.class, () -> fence.check(id, STALE), "nor pass the check before publishing");

        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertTrue(job.outputs().isEmpty());
    }

    /**
     * A split job failed by one part, then retried by its client, while another part of that run still ran: that part
     * neither fails the queued job nor writes its retry's reason on it.
     */
    @Test
    void the_attempt_of_a_failed_run_cannot_change_the_job_once_it_is_retried() {
        assertTrue(moves.fail(id, HOLDER, "Segment 2: not a video", Instant.now()).isEmpty());
        assertTrue(moves.retry(id, "r2").isEmpty());

        assertThrows(AttemptLost.class, () -> fence.check(id, HOLDER));
        assertThrows(AttemptLost.class, () -> moves.fail(id, HOLDER, "Segment 5: timed out", Instant.now()));
        assertThrows(AttemptLost.class, () -> fence.write(id, HOLDER, Map.of("error", "Segment 5, attempt 1")));

        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(null, job.error());
    }

    @Test
    void the_attempt_that_holds_the_job_stores_its_outcome() {
        List<Job.Output> outputs = List.of(new Job.Output("output.mp4", 10));

        fence.check(id, HOLDER);
        assertTrue(moves.move(id, HOLDER, JobMove.SUCCEED, JobHash.outputFields(outputs)).isEmpty());

        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals(outputs, job.outputs());
        assertEquals(HOLDER, job.worker());
    }

    /**
     * A worker frozen after it read the job's entry, before its begin, past its lease: another worker took the entry
     * over (a later delivery of it) and began the job. The first one's begin, when it wakes, is refused: it took the
     * job from its holder, whose run was then stopped as lost and its delivery spent.
     */
    @Test
    void an_earlier_delivery_of_the_entry_cannot_take_the_job_from_a_later_one() {
        String job = JobIds.next();
        store.create(Job.queued(job, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        assertTrue(moves.begin(job, HOLDER, "worker-b", 2, Instant.now(), "1-0", "").isEmpty());

        assertEquals(Optional.of(JobTransitions.TAKEN_OVER),
                moves.begin(job, STALE, "worker-a", 1, Instant.now(), "1-0", ""));

        assertEquals(HOLDER, store.field(job, "attempt").orElseThrow());
        assertTrue(moves.begin(job, STALE, "worker-a", 3, Instant.now(), "1-0", "").isEmpty(),
                "a later delivery takes it over, as when its worker dies");
    }
}
