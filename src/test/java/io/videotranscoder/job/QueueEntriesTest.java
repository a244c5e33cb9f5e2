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
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job's attempts run from one queue entry: another entry naming it is a duplicate, against a real Redis. */
class QueueEntriesTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private JobStore store;
    private JobTransitions moves;
    private String id;

    @BeforeEach
    void queued() {
        store = new JobStore(SERVER.client(), "entries:" + System.nanoTime() + ":");
        moves = new JobTransitions(store);
        id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
    }

    /** Stored and queued in one step: a queueing of its own could fail after the record, which the client re-sent. */
    @Test
    void a_new_job_is_stored_with_its_entry() {
        List<StreamEntry> entries = SERVER.client().xrange(store.keys().queue(), "-", "+");

        assertEquals(1, entries.size());
        assertEquals(Map.of("job", id), entries.get(0).getFields());
        assertEquals(JobStatus.QUEUED, store.find(id).orElseThrow().status());
    }

    @Test
    void a_second_entry_cannot_take_the_job_but_its_own_entry_takes_it_over() {
        assertTrue(moves.begin(id, "aaaaaaaa", "w1", 1, Instant.now(), "1-0", "").isEmpty());

        assertEquals(Optional.of(JobTransitions.OTHER_ENTRY), moves.begin(id, "bbbbbbbb", "w2", 1, Instant.now(),
                "2-0", ""));
        assertEquals("aaaaaaaa", store.attempt(id).orElseThrow());

        // The first worker stopped: another takes its entry over, and the job with it.
        assertTrue(moves.begin(id, "cccccccc", "w3", 2, Instant.now(), "1-0", "").isEmpty());
        assertEquals("cccccccc", store.attempt(id).orElseThrow());
    }

    /** Its worker died after the split, before acknowledging its entry: the entry, delivered again, begins nothing. */
    @Test
    void a_split_jobs_own_entry_delivered_again_leaves_the_job_to_its_parts() {
        assertTrue(moves.begin(id, "aaaaaaaa", "w1", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(new SegmentLedger(store).split(id, "aaaaaaaa", List.of(
                new Part(id, Part.Kind.SEGMENT, 0, 0, null, 6))));

        assertEquals(Optional.of(JobTransitions.SPLIT), moves.begin(id, "bbbbbbbb", "w2", 2, Instant.now(), "1-0", ""));
        assertEquals("aaaaaaaa", store.attempt(id).orElseThrow(), "the parts' attempt still holds the job");
    }

    @Test
    void a_retried_job_runs_from_its_new_entry() {
        assertTrue(moves.begin(id, "aaaaaaaa", "w1", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(moves.fail(id, "aaaaaaaa", "moov atom not found", Instant.now()).isEmpty());
        assertTrue(moves.retry(id, "r2").isEmpty());

        assertEquals(Optional.empty(), store.field(id, JobTransitions.ENTRY).filter(e -> !e.isEmpty()));
        assertTrue(moves.begin(id, "bbbbbbbb", "w2", 1, Instant.now(), "3-0", "r2").isEmpty());
        assertEquals(JobStatus.RUNNING, store.status(id).orElseThrow());
    }

    /**
     * An entry of the run before the retry: its worker froze before its begin, past its lease, while another took the
     * entry over, ran the job, and failed it; or it was killed before acknowledging it once out of deliveries.
     */
    @Test
    void an_entry_from_before_a_retry_neither_begins_nor_fails_the_job() {
        assertTrue(moves.begin(id, "aaaaaaaa", "w1", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(moves.fail(id, "aaaaaaaa", "moov atom not found", Instant.now()).isEmpty());
        assertTrue(moves.retry(id, "r2").isEmpty());

        assertEquals(Optional.of(JobTransitions.OTHER_ENTRY), moves.begin(id, "bbbbbbbb", "w1", 2, Instant.now(),
                "1-0", ""));
        assertEquals(Optional.of(JobTransitions.OTHER_ENTRY), moves.giveUp(id, "1-0", "", "Gave up", Instant.now()));
        assertEquals(JobStatus.QUEUED, store.status(id).orElseThrow());

        assertTrue(moves.begin(id, "cccccccc", "w2", 1, Instant.now(), "3-0", "r2").isEmpty(), "its new entry");
    }
}
