package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each status change appends its event to the event log in the same script, and a refused one appends none. */
class JobEventLogTest {

    private static final String ATTEMPT = "11111111bbbbbbbb";

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private String prefix;
    private JobStore store;
    private JobTransitions moves;
    private String id;

    @BeforeEach
    void queued() {
        prefix = "events:" + System.nanoTime() + ":";
        store = new JobStore(SERVER.client(), prefix);
        moves = new JobTransitions(store);
        id = JobIds.next();
        store.create(Job.queued(id, "api", "acme", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1,
                Instant.now()).withCallbackUrl("https://example.com/hook"));
    }

    private List<Map<String, String>> events() {
        return SERVER.client().xrange(JobEventLog.key(prefix), "-", "+").stream().map(StreamEntry::getFields)
                .toList();
    }

    private List<String> types() {
        return events().stream().map(e -> e.get(JobEventLog.TYPE)).toList();
    }

    @Test
    void a_job_that_runs_to_success_records_queued_started_succeeded_with_what_a_reader_needs() {
        moves.begin(id, ATTEMPT, "w1", 1, Instant.now(), "1-0", "");
        moves.succeed(id, ATTEMPT, List.of(new Job.Output("output.mp4", 42)), Instant.now());

        assertEquals(List.of("job.queued", "job.started", "job.succeeded"), types());
        Map<String, String> succeeded = events().get(2);
        assertEquals(id, succeeded.get(JobEventLog.JOB));
        assertEquals("succeeded", succeeded.get(JobEventLog.STATUS));
        assertEquals("acme", succeeded.get(JobEventLog.TENANT), "the job's tenant");
        assertEquals("https://example.com/hook", succeeded.get(JobEventLog.CALLBACK_URL));
        assertEquals("[{\"name\":\"output.mp4\",\"size\":42}]", succeeded.get(JobEventLog.OUTPUTS));
        Long.parseLong(succeeded.get(JobEventLog.AT));
    }

    @Test
    void a_refused_or_fenced_move_records_nothing() {
        assertEquals("queued", moves.succeed(id, "", List.of(), Instant.now()).orElseThrow());
        moves.begin(id, ATTEMPT, "w1", 1, Instant.now(), "1-0", "");
        assertThrows(AttemptLost.class, () -> moves.fail(id, "00000000aaaaaaaa", "no", Instant.now()));

        assertEquals(List.of("job.queued", "job.started"), types());
    }

    @Test
    void failures_carry_their_reason_and_cancels_and_retries_are_recorded() {
        moves.begin(id, ATTEMPT, "w1", 1, Instant.now(), "1-0", "");
        moves.fail(id, ATTEMPT, "The file is not a video FFmpeg can read", Instant.now());
        moves.retry(id, "r2");
        moves.cancelQueued(id, Instant.now());

        assertEquals(List.of("job.queued", "job.started", "job.failed", "job.queued", "job.cancelled"), types());
        assertEquals("The file is not a video FFmpeg can read", events().get(2).get(JobEventLog.ERROR));
    }

    @Test
    void progress_is_recorded_once_per_interval_and_only_when_it_moved() {
        moves.begin(id, ATTEMPT, "w1", 1, Instant.now(), "1-0", "");
        AttemptFence fence = new AttemptFence(store);

        fence.progress(id, ATTEMPT, JobHash.progressFields(new Job.Progress(10, 1.0, 25.0, 9L)));
        fence.progress(id, ATTEMPT, JobHash.progressFields(new Job.Progress(20, 1.0, 25.0, 8L)));

        assertEquals(List.of("job.queued", "job.started", "job.progress"), types());
        assertEquals("10", events().get(2).get(JobEventLog.PROGRESS));
        assertEquals("20", store.find(id).orElseThrow().progress().percent() + "");
        assertThrows(AttemptLost.class, () -> fence.progress(id, "00000000aaaaaaaa",
                JobHash.progressFields(new Job.Progress(30, 1.0, 25.0, 7L))));
    }
}
