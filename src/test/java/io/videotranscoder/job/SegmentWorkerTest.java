package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.queue.StreamLease;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * What a part's queue entry finds when its worker died after doing its work, before acknowledging it: the part is not
 * done (nor given up on) again, and a join's parts are removed. Against a real Redis; the storage is a mock.
 */
class SegmentWorkerTest {

    private static final String RUN = "0123456789abcdef";

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    @TempDir
    Path root;
    private final Storage storage = mock(Storage.class);
    private JobStore store;
    private SegmentLedger ledger;
    private SegmentWorker worker;
    private String id;
    private Part segment;
    private Path stored;

    /** A job split into a segment and the audio, under attempt {@link #RUN}, the segment stored. */
    @BeforeEach
    void splitJob() throws Exception {
        store = new JobStore(SERVER.client(), "parts:" + System.nanoTime() + ":");
        ledger = new SegmentLedger(store);
        worker = new SegmentWorker(store, ScratchCopies.none(new JobFiles(root)), storage, null,
                new EncodeWatcher(store, Duration.ofSeconds(1), Duration.ofMinutes(2), 20, Duration.ofMinutes(10),
                        Duration.ofHours(4), Duration.ofSeconds(10)),
                Duration.ofHours(4), Duration.ofSeconds(10), Clock.systemUTC(), null, null);
        id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4",
                1, Instant.now()));
        new JobTransitions(store).move(id, "", JobMove.BEGIN, Map.of("attempt", RUN, "worker", "w"));
        segment = new Part(id, Part.Kind.SEGMENT, 0, 0, null, 6);
        assertTrue(ledger.split(id, RUN, List.of(segment, new Part(id, Part.Kind.AUDIO, 0, 0, null, 6))));
        stored = Files.writeString(Files.createDirectories(root.resolve(id).resolve("parts").resolve(RUN))
                .resolve(segment.fileName()), "a stored segment");
    }

    /**
     * Its last delivery stored and counted the segment, then died: the job is not failed for it, nor its parts gone.
     */
    @Test
    void a_part_counted_before_its_worker_died_is_not_done_or_given_up_on_again() {
        assertFalse(ledger.counted(segment, RUN));
        assertEquals(SegmentLedger.Count.COUNTED, ledger.stored(segment, RUN).count());
        assertTrue(ledger.counted(segment, RUN));
        assertFalse(ledger.counted(segment, "fedcba9876543210"), "an earlier run's count is not this run's");

        Exchange redelivered = entry(segment);
        redelivered.getIn().setHeader(RedisStreamConstants.EXHAUSTED, true);
        worker.begin(redelivered);

        assertFalse(redelivered.getProperty(SegmentWorker.RUNNABLE, Boolean.class));
        assertEquals(JobStatus.RUNNING, store.find(id).orElseThrow().status());
        assertTrue(Files.exists(stored));
        verify(storage, never()).deleteParts(id);
    }

    /**
     * A join whose parts are gone (Redis restored to before the job's end, which removed them; or removed by hand):
     * counted, they are never encoded again, so the job fails at once saying why and how to run it again, rather than
     * fail each delivery on a missing file until its deliveries run out.
     */
    @Test
    void a_join_whose_parts_are_gone_fails_saying_so() {
        new AttemptFence(store).write(id, RUN, JobHash.mediaFields(new MediaInfo("mov,mp4,m4a,3gp,3g2,mj2", 12.0,
                "h264", 320, 240, 25.0, "aac", 2, 0.0, 0.0, 12.0)));
        Exchange join = entry(Part.join(id));
        join.setProperty(JobSubmitter.JOB, store.find(id).orElseThrow());
        join.setProperty(SegmentWorker.RUN, RUN);
        join.setProperty(SegmentWorker.NAMES, List.of(segment.fileName(), new Part(id, Part.Kind.AUDIO, 0, 0, null, 6)
                .fileName()));

        JobFailure failure = assertThrows(JobFailure.class, () -> worker.readyJoin(join));

        assertEquals("internal", failure.category());
        assertTrue(failure.getMessage().contains("/jobs/" + id + "/retry"), failure.getMessage());
    }

    /**
     * A join that finds its parts gone (Redis restored to before the job's end: its success and the acknowledgement
     * of the join's entry lost, its parts removed) runs the job again from its input, split anew, its queue entry
     * added in the same step; should its parts be lost again, the job fails saying so. What is left of the parts stays
     * until the job ends: a worker paused past its lease would otherwise remove the new run's.
     */
    @Test
    void a_join_whose_parts_are_gone_runs_the_job_again_from_its_input_once() {
        when(storage.stat(anyString())).thenReturn(Optional.of(new Storage.StoredObject(10, Instant.now())));
        Exchange join = failedJoin(RUN);
        long entries = SERVER.client().xlen(store.keys().queue()); // the job's first

        worker.failed(join);

        Map<String, String> record = SERVER.client().hgetAll(store.keys().job(id));
        assertEquals("queued", record.get("status"));
        assertEquals(AttemptEnds.PARTS_LOST, record.get("error"));
        assertEquals("", record.get("splitRun"), "split anew by the worker that takes it");
        String run = record.get(JobTransitions.RUN);
        assertFalse(run.isEmpty());
        List<StreamEntry> queued = SERVER.client().xrange(store.keys().queue(), (StreamEntryID) null, null);
        assertEquals(entries + 1, queued.size());
        assertEquals(Map.of("job", id, "run", run), queued.get(queued.size() - 1).getFields());
        assertTrue(Files.exists(stored), "left for the job's end to remove");
        verify(storage, never()).deleteParts(id);

        String second = "fedcba9876543210";
        new JobTransitions(store).move(id, "", JobMove.BEGIN, Map.of("attempt", second, "worker", "w"));
        assertTrue(ledger.split(id, second, List.of(segment)));
        worker.failed(failedJoin(second));

        Job failed = store.find(id).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(new PartsGone(id).getMessage(), failed.error());
        assertEquals(entries + 1, SERVER.client().xlen(store.keys().queue()), "not queued again");
        verify(storage).deleteParts(id);
    }

    /**
     * A worker that encoded a segment of the job's first run, then paused, stores it after the job was retried and
     * split anew and the new run's segment of the same name was stored (and counted): the new run's stays, and is the
     * one its join reads (the runs' plans may differ: another worker's segment length).
     */
    @Test
    void a_late_part_of_an_earlier_run_does_not_replace_the_new_runs() throws Exception {
        String next = "fedcba9876543210";
        worker.movePart(encoded(segment, next, "the new run's segment"));
        worker.movePart(encoded(segment, RUN, "the earlier run's segment, stored late"));

        Path joined = new PartFiles(new JobFiles(root)).parts(id, next).resolve(segment.fileName()); // the join's
        assertEquals("the new run's segment", Files.readString(joined));
    }

    /** Part {@code part} of split run {@code run}, encoded into a folder of its own, for the step that stores it. */
    private Exchange encoded(Part part, String run, String content) throws Exception {
        Path file = Files.writeString(Files.createTempDirectory(root, "work").resolve(part.fileName()), content);
        Exchange exchange = entry(part);
        exchange.setProperty(JobSubmitter.JOB, store.find(id).orElseThrow());
        exchange.setProperty(SegmentWorker.RUN, run);
        exchange.setProperty(SegmentWorker.FILE, file.toFile());
        return exchange;
    }

    /** An input gone too (an inbox job's original went on when it succeeded, before Redis lost that): it fails. */
    @Test
    void a_join_whose_parts_and_input_are_gone_fails_saying_so() {
        worker.failed(failedJoin(RUN));

        Job failed = store.find(id).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(new PartsGone(id).getMessage(), failed.error());
    }

    /** The join of run {@code run} found its parts gone: the exchange its route's doCatch hands the worker. */
    private Exchange failedJoin(String run) {
        Exchange join = entry(Part.join(id));
        join.setProperty(JobSubmitter.JOB, store.find(id).orElseThrow());
        join.setProperty(SegmentWorker.PART, Part.join(id));
        join.setProperty(SegmentWorker.RUN, run);
        join.setProperty(Attempts.PROPERTY, run);
        join.setProperty(RedisStreamConstants.LEASE, new StreamLease(() -> true));
        join.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException("Multicast processing failed",
                new PartsGone(id)));
        return join;
    }

    /**
     * Each delivery of a join begins an attempt of its own: a join whose worker paused past its lease, its entry taken
     * over and begun again by another worker, begins nothing once it wakes, and one that had begun stores nothing over
     * the job (its success would be refused, not counted twice; its outputs would go under keys of its own).
     */
    @Test
    void a_join_taken_over_is_an_attempt_of_its_own_and_the_paused_one_is_fenced_out() {
        ledger.stored(segment, RUN);
        ledger.stored(new Part(id, Part.Kind.AUDIO, 0, 0, null, 6), RUN);
        Exchange first = join(1);
        worker.begin(first);
        Exchange second = join(2);
        worker.begin(second);
        Exchange paused = join(1);
        worker.begin(paused);

        assertTrue(first.getProperty(SegmentWorker.RUNNABLE, Boolean.class));
        assertTrue(second.getProperty(SegmentWorker.RUNNABLE, Boolean.class));
        assertFalse(paused.getProperty(SegmentWorker.RUNNABLE, Boolean.class), "a delivery taken over begins nothing");
        assertNotEquals(Attempts.of(first), Attempts.of(second));
        assertEquals(Optional.of(Attempts.of(second)), store.attempt(id));
        assertThrows(AttemptLost.class, () -> new JobTransitions(store).succeed(id, Attempts.of(first),
                List.of(new Job.Output("output.mp4", 10)), Instant.now()));
        assertEquals(JobStatus.RUNNING, store.find(id).orElseThrow().status());
    }

    /** Delivery {@code delivery} of the job's join entry. */
    private Exchange join(long delivery) {
        Exchange join = entry(Part.join(id));
        join.getIn().setHeader(RedisStreamConstants.ENTRY_ID, "7-0");
        join.getIn().setHeader(RedisStreamConstants.DELIVERY_COUNT, delivery);
        return join;
    }

    /** The join's worker died after storing the job's success, before removing its parts: its entry removes them. */
    @Test
    void a_join_of_a_job_that_ended_removes_the_parts_left_behind() {
        assertTrue(new JobTransitions(store).succeed(id, RUN, List.of(new Job.Output("output.mp4", 10)), Instant.now())
                .isEmpty());

        worker.begin(entry(Part.join(id)));

        assertFalse(Files.exists(stored.getParent()));
        verify(storage).deleteParts(id);
    }

    /**
     * The job was removed while a worker stored a part (in a bucket, where no sweep finds it): its entry removes it.
     */
    @Test
    void a_part_of_a_job_removed_meanwhile_is_removed() {
        store.delete(id);

        worker.begin(entry(segment));

        verify(storage).deleteParts(id);
    }

    /**
     * A worker frozen past its lease while it encoded a segment wakes after the job ended (another worker redid the
     * segment, the job was joined) and stores its copy: counted as stale, it is removed though the entry is no longer
     * its worker's, rather than left with the job's outputs until the job expires (for ever in a bucket whose job was
     * removed).
     */
    @Test
    void a_part_stored_after_its_job_ended_by_a_worker_past_its_lease_is_removed() {
        assertTrue(new JobTransitions(store).succeed(id, RUN, List.of(new Job.Output("output.mp4", 10)), Instant.now())
                .isEmpty());
        Exchange late = entry(segment);
        late.setProperty(JobSubmitter.JOB, store.find(id).orElseThrow());
        late.setProperty(SegmentWorker.PART, segment);
        late.setProperty(SegmentWorker.RUN, RUN);
        late.setProperty(Attempts.PROPERTY, RUN);
        late.setProperty(RedisStreamConstants.LEASE, new StreamLease(() -> false));

        assertThrows(AttemptLost.class, () -> worker.partStored(late), "nothing acknowledged");

        assertFalse(Files.exists(stored.getParent()));
        verify(storage).deleteParts(id);
    }

    /**
     * A segment of the job's first run, still encoding when the job was retried and split anew: once encoded, it is
     * not stored over the new run's segment of the same name (whose span another worker's plan may have cut
     * differently).
     */
    @Test
    void a_part_encoded_for_a_run_the_job_left_is_not_stored() throws Exception {
        Exchange late = entry(segment);
        late.setProperty(JobSubmitter.JOB, store.find(id).orElseThrow());
        late.setProperty(SegmentWorker.PART, segment);
        late.setProperty(SegmentWorker.RUN, RUN);
        Path work = Files.createDirectories(root.resolve(id).resolve(".segments").resolve("w"));
        Files.writeString(work.resolve(segment.fileName()), "the first run's segment");
        late.setProperty(EncodeWatcher.PART_FOLDER, work);

        worker.encodedPart(late);
        assertEquals(work.resolve(segment.fileName()).toFile(), late.getProperty(SegmentWorker.FILE),
                "stored while the run is the job's");

        SERVER.client().hset(store.keys().job(id), "splitRun", "fedcba9876543210"); // retried, split anew
        late.removeProperty(SegmentWorker.FILE);
        worker.encodedPart(late);
        assertEquals(null, late.getProperty(SegmentWorker.FILE), "nothing for the storage step");
    }

    /** The part's entry on the parts queue, of run {@link #RUN}, as the segment route receives it. */
    private static Exchange entry(Part part) {
        Map<String, String> fields = new HashMap<>(part.fields());
        fields.put("split", RUN);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(fields);
        return exchange;
    }
}
