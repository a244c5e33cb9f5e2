package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** How an attempt's end is stored, against a real Redis. */
class AttemptEndsTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    @TempDir
    Path root;
    private final JobStore store = new JobStore(SERVER.client(), "ends:" + System.nanoTime() + ":");

    /** A queued job of its own. */
    private String queued() {
        String id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1,
                Instant.now()));
        return id;
    }

    /** A job of its own, held by attempt {@code aaaaaaaa}. */
    private String running(JobTransitions moves) {
        String id = queued();
        assertTrue(moves.begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        return id;
    }

    /**
     * The success was stored, but its answer was lost (a failover, a timeout): tried again, it is refused as succeeded
     * already, by this very attempt, which is its success. The Redis error had thrown the finished encode away: the
     * entry was delivered again and the job encoded anew.
     */
    @Test
    void a_success_whose_answer_was_lost_is_tried_again_and_is_the_attempts_success() {
        String id = queued();
        JobTransitions moves = new JobTransitions(store) {
            private boolean answered;

            @Override
            public Optional<String> succeed(String job, String attempt, List<Job.Output> outputs, Instant now) {
                Optional<String> answer = super.succeed(job, attempt, outputs, now);
                if (!answered) {
                    answered = true;
                    throw new JedisConnectionException("java.net.SocketTimeoutException: Read timed out");
                }
                return answer;
            }
        };
        assertTrue(moves.begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa");

        ends.succeeded(exchange, store.find(id).orElseThrow(), List.of(), 1.0);

        assertEquals(JobStatus.SUCCEEDED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(JobStatus.SUCCEEDED, store.find(id).orElseThrow().status());
    }

    /**
     * Two parts of a split job (one attempt for all its parts) fail together: the job fails once, and only the part
     * whose write stored the failure counts it. The second took the first's failure, of its own attempt, for its own
     * write's whose answer was lost, and a bad input's twenty segments counted as many failed jobs.
     */
    @Test
    void two_parts_failing_together_count_their_jobs_failure_once() {
        JobTransitions moves = new JobTransitions(store);
        String id = running(moves);
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        Exchange first = new DefaultExchange(new DefaultCamelContext());
        first.setProperty(Attempts.PROPERTY, "aaaaaaaa");
        Exchange second = new DefaultExchange(new DefaultCamelContext());
        second.setProperty(Attempts.PROPERTY, "aaaaaaaa");
        Job job = store.find(id).orElseThrow();

        ends.failed(first, job, "ffmpeg_error", "segment 3 failed");
        ends.failed(second, job, "ffmpeg_error", "segment 7 failed");

        assertEquals(JobStatus.FAILED, first.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(null, second.getProperty(JobWorker.OUTCOME), "not counted again");
        assertEquals("segment 3 failed", store.find(id).orElseThrow().error());
    }

    /**
     * A worker paused past its lease stored its outputs after another attempt ended the job and the job was removed:
     * what it stored goes (nothing else looks for a removed job's objects), and no outcome is counted.
     */
    @Test
    void outputs_stored_for_a_job_removed_meanwhile_are_removed() {
        JobTransitions moves = new JobTransitions(store);
        Storage storage = mock(Storage.class);
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), storage, Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        String id = running(moves);
        Job job = store.find(id).orElseThrow();
        store.delete(id);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa");

        ends.succeeded(exchange, job, List.of(new Job.Output("output.mp4", 10)), 1.0);

        verify(storage).deleteAttempt(id, "aaaaaaaa");
        assertEquals(null, exchange.getProperty(JobWorker.OUTCOME));
    }

    /**
     * A client's cancel that came while a failed or stopped attempt was judged, or while a claim gave up on the job's
     * entry: the job ends cancelled, as asked, neither failed (its files kept) nor queued again to be cancelled only
     * after the retry's delay.
     */
    @Test
    void a_cancel_asked_while_a_failure_is_judged_wins_over_the_failure_the_retry_and_the_give_up() {
        JobTransitions moves = new JobTransitions(store);
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        for (String end : new String[] {"failed", "retried", "gave up"}) {
            String id = running(moves);
            assertTrue(moves.requestCancel(id, Instant.now()).isEmpty());
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa");

            Job job = store.find(id).orElseThrow();
            switch (end) {
                case "retried" -> ends.retry(exchange, job, "FFmpeg stalled");
                case "gave up" -> ends.gaveUp(exchange, job, "1-0", "", "Gave up after 3 attempts");
                default -> ends.failed(exchange, job, "ffmpeg", "FFmpeg failed");
            }

            assertEquals(JobStatus.CANCELLED, store.find(id).orElseThrow().status(), end);
            assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        }
    }

    /**
     * The split was stored, but its answer was lost (a Redis timeout): judged as Redis failing for a moment, the
     * attempt is not put back on the queue, where its job, running as parts, would have stayed queued for ever (its
     * parts counted for no running job, its entry dropped as split): the job stays running, and its join ends it.
     */
    @Test
    void an_attempt_whose_split_was_stored_is_not_put_back_on_the_queue() {
        JobTransitions moves = new JobTransitions(store);
        String id = running(moves);
        assertTrue(new SegmentLedger(store).split(id, "aaaaaaaa", List.of(new Part(id, Part.Kind.SEGMENT, 0, 0, null,
                3))));
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa");

        assertThrows(JobRetry.class, () -> ends.retry(exchange, store.find(id).orElseThrow(),
                "Redis failed for a moment"));

        Job job = store.find(id).orElseThrow();
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(new Job.Segments(0, 1), job.segments());
    }

    /**
     * A worker paused past its lease while it stored its outputs; meanwhile another attempt ended the job and the job
     * was removed, and a late upload then failed (or found the job gone). Judged as failed, the attempt removes what it
     * stored: nothing else would ever look for it. Nothing else is judged.
     */
    @Test
    void an_attempt_whose_job_was_removed_meanwhile_removes_what_it_stored_when_it_fails() throws Exception {
        Storage storage = mock(Storage.class);
        JobFiles files = new JobFiles(root);
        AttemptEnds ends = new AttemptEnds(new JobTransitions(store), files, storage, Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        Job removed = Job.queued(JobIds.next(), "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, Instant.now());
        Path work = Files.createDirectories(files.workDir(removed.id(), "aaaaaaaa00000000"));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa00000000");

        new FailedAttempt(store, files, null, null, null, ends, Duration.ofHours(1)).judge(exchange, removed);

        verify(storage).deleteAttempt(removed.id(), "aaaaaaaa00000000");
        assertFalse(Files.exists(work));
    }

    /**
     * The store goes away just after the success is recorded, as the objects attempts that lost the job stored are
     * removed: the success stands and is counted (it was judged a failed attempt, its outcome never counted), and those
     * objects are left to the job's removal.
     */
    @Test
    void a_store_away_as_other_attempts_objects_are_removed_leaves_the_success_counted() {
        JobTransitions moves = new JobTransitions(store);
        String id = running(moves);
        Storage storage = mock(Storage.class);
        doThrow(SdkClientException.create("Unable to execute HTTP request: Connection refused")).when(storage)
                .deleteOtherAttempts(id, "aaaaaaaa");
        AttemptEnds ends = new AttemptEnds(moves, new JobFiles(root), storage, Clock.systemUTC(),
                new RetryPolicy(Duration.ofSeconds(1)));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Attempts.PROPERTY, "aaaaaaaa");

        ends.succeeded(exchange, store.find(id).orElseThrow(), List.of(), 1.0);

        assertEquals(JobStatus.SUCCEEDED, store.find(id).orElseThrow().status());
        assertEquals(JobStatus.SUCCEEDED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        verify(storage).deleteOtherAttempts(id, "aaaaaaaa");
    }
}
