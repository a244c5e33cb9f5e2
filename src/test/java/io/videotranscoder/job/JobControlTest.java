package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.queue.GroupBacklog;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.videotranscoder.ffmpeg.TranscodeOptions;

import static org.mockito.Mockito.mock;

/**
 * DELETE /jobs/{id} and POST /jobs/{id}/cancel against a real Redis: another request changing the job between its
 * reads, and a running job that no worker holds.
 */
class JobControlTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    @TempDir
    Path root;

    @Test
    void a_job_another_delete_removed_after_it_was_read_is_not_found() {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":") {
            @Override
            public Job existing(String job, Tenancy tenancy) {
                Job read = super.existing(job, tenancy);
                delete(job); // the other DELETE ends now
                return read;
            }
        };
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), mock(UnheldCancels.class));
        Exchange exchange = request(id);

        Refusal refusal = assertThrows(Refusal.class, () -> control.delete(exchange));

        assertEquals(Refusal.Kind.NOT_FOUND, refusal.kind());
    }

    @Test
    void a_queued_job_cancelled_while_its_store_is_away_is_answered_and_counted_as_cancelled() {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        LocalStorage away = new LocalStorage(root) {
            @Override
            public void deleteJob(String job) {
                throw new IllegalStateException("Unable to execute HTTP request: Connection refused");
            }
        };
        JobControl control = new JobControl(store, new JobFiles(root), away, Clock.systemUTC(),
                mock(JobOriginals.class), mock(UnheldCancels.class));
        Exchange exchange = request(id);

        control.cancel(exchange);

        assertEquals(JobControl.Deletion.CANCELLED, exchange.getProperty(JobControl.DELETED));
        assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(JobStatus.CANCELLED, store.find(id).orElseThrow().status());
    }

    /**
     * Redis fails right after the cancel was stored, as the answer reads the job again: the client is told the job is
     * cancelled, and the cancel is counted. A 503 said the cancel the job got had failed, and no meter counted it.
     */
    @Test
    void a_cancel_stored_just_before_redis_fails_is_answered_and_counted_as_cancelled() {
        String id = JobIds.next();
        FailingStore store = new FailingStore();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), mock(UnheldCancels.class));
        Exchange exchange = request(id);
        store.reads = 1; // the request's own read of the job; the cancel stored, Redis fails from then on

        control.cancel(exchange);

        assertEquals(JobControl.Deletion.CANCELLED, exchange.getProperty(JobControl.DELETED));
        assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobSubmitter.JOB, Job.class).status());

        // The same for a running job no worker holds, which the request cancels itself: not answered as running.
        String running = JobIds.next();
        FailingStore runningStore = new FailingStore();
        runningStore.create(Job.queued(running, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, Instant.now()));
        new JobTransitions(runningStore).move(running, "", JobMove.BEGIN, Map.of("attempt", "a1", "worker", "w"));
        UnheldCancels unheld = mock(UnheldCancels.class);
        org.mockito.Mockito.when(unheld.cancel(running)).thenReturn(Optional.of(Outcome.of(
                runningStore.find(running).orElseThrow(), JobStatus.CANCELLED, Instant.now(), null, 0, null)));
        Exchange held = request(running);
        runningStore.reads = 1;

        new JobControl(runningStore, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), unheld).cancel(held);

        assertEquals(JobStatus.CANCELLED, held.getProperty(JobSubmitter.JOB, Job.class).status());
    }

    /** A store whose reads fail (Redis timing out) once the {@link #reads} left are taken. */
    private static final class FailingStore extends JobStore {
        private int reads = Integer.MAX_VALUE;

        FailingStore() {
            super(SERVER.client(), "control:" + System.nanoTime() + ":");
        }

        @Override
        public Optional<Job> find(String job) {
            if (reads-- <= 0) {
                throw new redis.clients.jedis.exceptions.JedisConnectionException("Read timed out");
            }
            return super.find(job);
        }
    }

    /** A finished job whose folder cannot be removed now is kept, and the client told to try again: no 500. */
    @Test
    void a_finished_job_whose_files_cannot_be_removed_now_is_kept_and_said_so() throws Exception {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        Instant then = Instant.now();
        store.create(new Job(id, JobStatus.FAILED, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, then, then, then, 1, "failed", null, List.of(), Job.Progress.NONE, null, null));
        JobFiles files = new JobFiles(root) {
            @Override
            public void removeJob(String job) throws IOException {
                throw new DirectoryNotEmptyException(root.resolve(job).resolve(".work").toString());
            }
        };
        JobControl control = new JobControl(store, files, new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), mock(UnheldCancels.class));
        Exchange exchange = request(id);

        Refusal refusal = assertThrows(Refusal.class, () -> control.delete(exchange));

        assertEquals(Refusal.Kind.UNAVAILABLE, refusal.kind());
        assertFalse(refusal.getMessage().contains(root.toString()), "no path of the server's");
        assertEquals(JobStatus.FAILED, store.find(id).orElseThrow().status(), "kept");
    }

    /** The retry's status change and its queue entry are one step: a failure between two writes left no entry. */
    @Test
    void a_retried_job_is_queued_with_its_entry_and_a_second_retry_adds_none() throws Exception {
        String id = JobIds.next();
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 1, Instant.now()));
        JobTransitions moves = new JobTransitions(store);
        assertTrue(moves.begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(moves.fail(id, "aaaaaaaa", "FFmpeg failed", Instant.now()).isEmpty());
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), mock(UnheldCancels.class));
        Exchange exchange = request(id);
        Files.write(Files.createDirectories(root.resolve(id)).resolve("input.mp4"), new byte[] {1});

        control.retry(exchange);

        List<StreamEntry> entries = SERVER.client().xrange(store.keys().queue(), "-", "+");
        assertEquals(2, entries.size(), "its first entry, and the retry's");
        assertEquals(Map.of("job", id, JobTransitions.RUN, store.field(id, JobTransitions.RUN).orElseThrow()),
                entries.get(1).getFields());
        assertEquals(JobStatus.QUEUED, exchange.getProperty(JobSubmitter.JOB, Job.class).status());
        assertEquals(Refusal.Kind.WRONG_STATE, assertThrows(Refusal.class, () -> control.retry(exchange)).kind());
        assertEquals(2, SERVER.client().xlen(store.keys().queue()), "a refused retry adds no entry");
    }

    /**
     * A split job whose parts all wait behind other jobs' (none delivered): its cancel is carried out at the request,
     * where it waited for a worker to reach one of its parts, with its parts' files removed.
     */
    @Test
    void a_running_job_no_worker_holds_is_cancelled_at_the_request() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        String id = running(store);
        SERVER.client().xadd(store.keys().parts(), StreamEntryID.NEW_ENTRY, Map.of("job", id, "part", "segment"));
        Path part = Files.write(Files.createDirectories(root.resolve(id).resolve("parts")).resolve("segment-0.mp4"),
                new byte[] {1});

        Exchange exchange = cancel(store, id, Duration.ofMinutes(1));

        assertEquals(JobControl.Deletion.CANCELLED, exchange.getProperty(JobControl.DELETED));
        assertEquals(JobStatus.CANCELLED, exchange.getProperty(JobWorker.OUTCOME, Outcome.class).status());
        assertEquals(JobStatus.CANCELLED, store.find(id).orElseThrow().status());
        assertFalse(Files.exists(part), "its parts are removed");
        assertFalse(Files.exists(root.resolve(id)), "an upload's job keeps no file");
    }

    /**
     * A part delivered to a worker: the cancel is that worker's to carry out (it stops FFmpeg first). Once the entry
     * has gone unrenewed past the lease at two looks a lease apart (its worker died, and every other is busy),
     * housekeeping's sweep carries it out, once.
     */
    @Test
    void a_held_job_is_left_to_its_worker_until_its_entry_is_abandoned() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        String id = running(store);
        SERVER.client().xadd(store.keys().parts(), StreamEntryID.NEW_ENTRY, Map.of("job", id, "part", "segment"));
        SERVER.client().xreadGroup("workers", "worker-a", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(store.keys().parts(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        Duration lease = Duration.ofMillis(500);

        Exchange exchange = cancel(store, id, lease);

        assertEquals(JobControl.Deletion.CANCEL_REQUESTED, exchange.getProperty(JobControl.DELETED));
        assertEquals(null, exchange.getProperty(JobWorker.OUTCOME));
        assertEquals(JobStatus.RUNNING, store.find(id).orElseThrow().status());
        assertTrue(Files.exists(root.resolve(id).resolve("input.mp4")), "its worker may still be reading it");
        UnheldCancels unheld = unheld(store, lease);
        assertEquals(List.of(), unheld.sweep(), "held still");
        idlePast(store, lease);
        long firstLook = System.nanoTime();
        assertEquals(List.of(), unheld.sweep(), "idle past the lease at one look");

        List<Outcome> swept = sweptOnce(unheld);
        assertTrue(System.nanoTime() - firstLook >= lease.toNanos(), "a lease after the first look that found it idle");
        assertEquals(1, swept.size(), swept.toString());
        assertEquals(JobStatus.CANCELLED, swept.get(0).status());
        assertEquals(JobStatus.CANCELLED, store.find(id).orElseThrow().status());
        assertFalse(Files.exists(root.resolve(id)));
        assertEquals(0, SERVER.client().xpending(store.keys().parts(), "workers").getTotal(),
                "its abandoned part taken over, then acknowledged");
        assertEquals(List.of(), unheld.sweep(), "stored once");
    }

    /**
     * Redis back from an outage longer than the lease (paused, or restarted from its files): every delivered entry
     * looks idle since before it until its worker renews it, within a lease. An entry renewed after the first look is
     * its worker's still; the request itself leaves every delivered entry to its worker.
     */
    @Test
    void an_entry_that_looks_idle_after_an_outage_is_held_once_renewed() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        String id = running(store);
        StreamEntryID entry = SERVER.client().xadd(store.keys().parts(), StreamEntryID.NEW_ENTRY,
                Map.of("job", id, "part", "segment"));
        SERVER.client().xreadGroup("workers", "worker-a", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(store.keys().parts(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        idle(store, entry, Duration.ofHours(2)); // as Redis restored it, its worker not back yet
        Duration lease = Duration.ofMillis(500);

        Exchange exchange = cancel(store, id, lease);
        UnheldCancels unheld = unheld(store, lease);
        List<Outcome> first = unheld.sweep();
        idle(store, entry, Duration.ZERO); // its worker's renewal
        boolean takenWhileRenewed = new GroupBacklog(SERVER.client(), store.keys().parts(), "workers")
                .takeOver(entry.toString(), "housekeeping", lease);
        idlePast(store, lease);
        long renewedLook = System.nanoTime();
        List<Outcome> renewed = unheld.sweep();

        assertEquals(JobControl.Deletion.CANCEL_REQUESTED, exchange.getProperty(JobControl.DELETED));
        assertEquals(List.of(), first, "one look at an idle entry");
        assertEquals(List.of(), renewed, "renewed since");
        assertFalse(takenWhileRenewed, "an entry renewed within the lease is not taken over");
        assertEquals(JobStatus.RUNNING, store.find(id).orElseThrow().status());
        assertTrue(Files.exists(root.resolve(id).resolve("input.mp4")));
        assertEquals(1, sweptOnce(unheld).size(), "not renewed for a lease since the last look: abandoned");
        assertTrue(System.nanoTime() - renewedLook >= lease.toNanos(), "a lease after the look that found it renewed");
    }

    /** Until the part's entry has been idle past the lease, as Redis counts it. */
    /** A request on job {@code id}, by a caller who may see every job. */
    private static Exchange request(String id) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader("id", id);
        exchange.setProperty(Tenancy.PROPERTY, Tenancy.ANY);
        return exchange;
    }

    private static void idlePast(JobStore store, Duration lease) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> SERVER.client()
                .xpending(store.keys().parts(), "workers", XPendingParams.xPendingParams().count(1)).get(0)
                .getIdleTime() >= lease.toMillis());
    }

    /** The first sweep that stores a cancel, looked for every 50 ms. */
    private static List<Outcome> sweptOnce(UnheldCancels unheld) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(unheld::sweep,
                outcomes -> !outcomes.isEmpty());
    }

    /** A take-over holds for a lease: an entry a worker claimed back since is that worker's to settle. */
    @Test
    void only_the_member_that_has_an_entry_acknowledges_it() {
        JobStore store = new JobStore(SERVER.client(), "control:" + System.nanoTime() + ":");
        SERVER.client().xgroupCreate(store.keys().parts(), "workers", new StreamEntryID(), true);
        StreamEntryID entry = SERVER.client().xadd(store.keys().parts(), StreamEntryID.NEW_ENTRY, Map.of("job", "j"));
        SERVER.client().xreadGroup("workers", "worker-a", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(store.keys().parts(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        GroupBacklog parts = new GroupBacklog(SERVER.client(), store.keys().parts(), "workers");

        parts.acknowledge(entry.toString(), "housekeeping");
        long afterOther = SERVER.client().xpending(store.keys().parts(), "workers").getTotal();
        parts.acknowledge(entry.toString(), "worker-a");

        assertEquals(1, afterOther, "worker-a's still");
        assertEquals(0, SERVER.client().xpending(store.keys().parts(), "workers").getTotal());
    }

    /** Sets how long the part's entry is idle, as a claim with IDLE does. */
    private static void idle(JobStore store, StreamEntryID entry, Duration idle) {
        SERVER.client().xclaim(store.keys().parts(), "workers", "worker-a", 0,
                XClaimParams.xClaimParams().idle(idle.toMillis()), entry);
    }

    /** A job begun by a worker, as it is once split: running, its own entry acknowledged, its input in its folder. */
    private String running(JobStore store) throws Exception {
        String id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1,
                Instant.now()));
        for (String queue : List.of(store.keys().queue(), store.keys().parts())) {
            SERVER.client().xgroupCreate(queue, "workers", new StreamEntryID(), true);
        }
        assertTrue(new JobTransitions(store).begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        String entry = SERVER.client().xrange(store.keys().queue(), "-", "+").get(0).getID().toString();
        SERVER.client().xreadGroup("workers", "worker-b", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(store.keys().queue(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        SERVER.client().xack(store.keys().queue(), "workers", new StreamEntryID(entry));
        Files.write(Files.createDirectories(root.resolve(id)).resolve("input.mp4"), new byte[] {1});
        return id;
    }

    private Exchange cancel(JobStore store, String id, Duration lease) {
        JobControl control = new JobControl(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(),
                mock(JobOriginals.class), unheld(store, lease));
        Exchange exchange = request(id);
        control.cancel(exchange);
        return exchange;
    }

    private UnheldCancels unheld(JobStore store, Duration lease) {
        return new UnheldCancels(store, new JobFiles(root), new LocalStorage(root), Clock.systemUTC(), lease,
                List.of(new GroupBacklog(SERVER.client(), store.keys().queue(), "workers"),
                        new GroupBacklog(SERVER.client(), store.keys().parts(), "workers")));
    }
}
