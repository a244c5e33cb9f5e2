package io.videotranscoder.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A split job's parts are counted once each and joined once, against a real Redis. */
class SegmentLedgerTest {

    private static final String RUN = "0123456789abcdef";

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private JobStore store;
    private SegmentLedger ledger;
    private String id;
    private List<Part> parts;

    @BeforeEach
    void splitJob() {
        store = new JobStore(SERVER.client(), "ledger:" + System.nanoTime() + ":");
        ledger = new SegmentLedger(store);
        id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        new JobTransitions(store).move(id, "", JobMove.BEGIN, Map.of("attempt", RUN, "worker", "w"));
        parts = List.of(new Part(id, Part.Kind.SEGMENT, 0, 0, 2.98, 2.98),
                new Part(id, Part.Kind.SEGMENT, 1, 2.98, null, 3.02), new Part(id, Part.Kind.AUDIO, 0, 0, null, 0));
        assertTrue(ledger.split(id, RUN, parts));
    }

    @Test
    void a_job_is_split_once_and_shows_its_segments() {
        assertFalse(ledger.split(id, RUN, parts), "a redelivered split queues nothing more");

        assertEquals(3, entries().size());
        assertEquals(new Job.Segments(0, 2), store.find(id).orElseThrow().segments());
    }

    /**
     * An attempt that lost the job (another took it over) splits nothing: its run would be the job's, with parts no
     * attempt holding the job made, and a requeue of the job would keep it.
     */
    @Test
    void an_attempt_that_lost_the_job_splits_nothing() {
        String other = JobIds.next();
        store.create(Job.queued(other, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        new JobTransitions(store).move(other, "", JobMove.BEGIN, Map.of("attempt", "fedcba9876543210", "worker", "w2"));

        assertFalse(ledger.split(other, RUN, List.of(new Part(other, Part.Kind.SEGMENT, 0, 0, null, 3))));
        assertTrue(new SegmentLedger(store).run(other).isEmpty());
        assertEquals(3, entries().size(), "no part queued for it");
    }

    /** A job whose client asked to cancel it as its probe ended is not split: no part runs for a cancelled job. */
    @Test
    void a_job_whose_cancel_waits_is_not_split() {
        String other = JobIds.next();
        store.create(Job.queued(other, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        new JobTransitions(store).move(other, "", JobMove.BEGIN, Map.of("attempt", RUN, "worker", "w"));
        assertTrue(new JobTransitions(store).requestCancel(other, Instant.now()).isEmpty());

        assertThrows(JobFailure.class, () -> ledger.split(other, RUN, List.of(new Part(other, Part.Kind.SEGMENT, 0,
                0, null, 3))));
        assertTrue(ledger.run(other).isEmpty());
        assertEquals(3, entries().size(), "no part queued for it");
    }

    /** The last two parts stored at the same moment by two workers: one of them queues the join. */
    @RepeatedTest(5)
    void two_parts_finishing_at_once_queue_one_join() throws Exception {
        assertEquals(SegmentLedger.Count.COUNTED, ledger.stored(parts.get(0), RUN).count());
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        List<Future<SegmentLedger.Counted>> counts = new ArrayList<>();
        for (Part part : parts.subList(1, 3)) {
            counts.add(workers.submit(() -> {
                together.await();
                return ledger.stored(part, RUN);
            }));
        }
        List<SegmentLedger.Count> answers = new ArrayList<>();
        for (Future<SegmentLedger.Counted> count : counts) {
            answers.add(count.get().count());
        }
        workers.shutdown();

        assertEquals(1, answers.stream().filter(SegmentLedger.Count.JOIN_QUEUED::equals).count(), answers.toString());
        assertEquals(1, entries().stream().filter(e -> "join".equals(e.getFields().get("part"))).count());
        assertEquals(new Job.Segments(2, 2), store.find(id).orElseThrow().segments());
    }

    @Test
    void a_part_redone_after_its_worker_died_counts_once() {
        ledger.stored(parts.get(0), RUN);

        SegmentLedger.Counted again = ledger.stored(parts.get(0), RUN);

        assertEquals(SegmentLedger.Count.AGAIN, again.count());
        assertEquals(new Job.Segments(1, 2), store.find(id).orElseThrow().segments());
    }

    @Test
    void parts_of_an_earlier_run_or_of_an_ended_job_are_not_counted() {
        assertEquals(SegmentLedger.Count.STALE, ledger.stored(parts.get(0), "fedcba9876543210").count());
        new JobTransitions(store).cancel(id, RUN, Instant.now());

        assertEquals(SegmentLedger.Count.STALE, ledger.stored(parts.get(0), RUN).count());
        assertEquals(0, store.find(id).orElseThrow().segments().done());
    }

    @Test
    void progress_follows_the_duration_the_stored_segments_cover() {
        SegmentLedger.Counted first = ledger.stored(parts.get(0), RUN);

        assertEquals(49, first.percent(), "2.98 s of 6 s, on a scale to 99 (100 is the join's)");
    }

    private List<StreamEntry> entries() {
        return store.redis().xrange(store.keys().parts(), "-", "+");
    }
}
