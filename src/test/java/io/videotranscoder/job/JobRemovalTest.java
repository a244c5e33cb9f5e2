package io.videotranscoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/** Removing an ended job (DELETE, expiry) against a real Redis. */
class JobRemovalTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    @TempDir
    Path root;

    /**
     * A folder that cannot be removed (a file server's EIO, or a file it keeps open) keeps its job, to be removed
     * again: the job was forgotten and its folder left for ever, since no sweep takes a folder without a record.
     */
    @Test
    void a_job_whose_folder_cannot_be_removed_stays_to_be_removed_again() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "removal:" + System.nanoTime() + ":");
        String id = succeeded(store);
        Path folder = Files.createDirectories(root.resolve(id));
        JobFiles stuck = new JobFiles(root) {
            @Override
            public void removeJob(String job) throws IOException {
                throw new IOException("Input/output error");
            }
        };
        JobRemoval removal = removal(store, stuck);

        assertThrows(IOException.class, () -> removal.remove(id));

        assertEquals(JobStatus.SUCCEEDED, store.find(id).orElseThrow().status(), "kept");
        assertTrue(Files.isDirectory(folder));
        assertTrue(removal(store, new JobFiles(root)).remove(id), "removed once the folder can go");
        assertTrue(store.find(id).isEmpty());
    }

    /** A full Redis (maxmemory, noeviction) refuses writes, but not the removal of a job, which frees memory. */
    @Test
    void a_job_is_removed_while_redis_is_full() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "full:" + System.nanoTime() + ":");
        String id = succeeded(store);
        JobRemoval removal = removal(store, new JobFiles(root));
        SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory", "1");
        try {
            assertThrows(JedisDataException.class, () -> SERVER.client().set("full:other", "x"), "Redis is full");

            assertTrue(removal.remove(id));
        } finally {
            SERVER.client().sendCommand(Protocol.Command.CONFIG, "SET", "maxmemory", "0");
        }
        assertTrue(store.find(id).isEmpty());
    }

    /**
     * Two removals of one failed job at once (a DELETE, another process's expiry): one fails, the other is still
     * removing its files. The failing one took its own mark away, not the other's: a retry then would have queued a
     * job whose input was being removed.
     */
    @Test
    void a_removal_that_fails_beside_another_lets_no_retry_in() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "removals:" + System.nanoTime() + ":");
        JobTransitions moves = new JobTransitions(store);
        String id = failed(store);
        CountDownLatch removing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobRemoval slow = removal(store, new JobFiles(root) {
            @Override
            public void removeJob(String job) throws IOException {
                removing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.removeJob(job);
            }
        });
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> {
            try {
                return slow.remove(id);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(removing.await(30, TimeUnit.SECONDS), "the first removal is removing the job's files");
        JobRemoval failing = removal(store, new JobFiles(root) {
            @Override
            public void removeJob(String job) throws IOException {
                throw new IOException("Input/output error");
            }
        });

        assertThrows(IOException.class, () -> failing.remove(id));
        try {
            assertEquals(Optional.of(JobTransitions.REMOVING), moves.retry(id, "2"), "still being removed");
        } finally {
            release.countDown();
        }

        assertTrue(first.get(30, TimeUnit.SECONDS));
        assertTrue(store.find(id).isEmpty());
    }

    /** A removal stopped mid-way (its process killed) left its mark: the next one, failing, takes it away too. */
    @Test
    void the_mark_of_a_removal_stopped_long_ago_goes_with_the_next_one() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "stopped:" + System.nanoTime() + ":");
        String id = failed(store);
        long stopped = Instant.now().minus(JobRemoval.STOPPED_AFTER).minusSeconds(60).toEpochMilli();
        SERVER.client().hset(store.keys().job(id), JobTransitions.REMOVING, stopped + "/killed");
        JobTransitions moves = new JobTransitions(store);
        assertEquals(Optional.of(JobTransitions.REMOVING), moves.retry(id, "2"), "marked by the stopped removal");

        assertThrows(IOException.class, () -> removal(store, new JobFiles(root) {
            @Override
            public void removeJob(String job) throws IOException {
                throw new IOException("Input/output error");
            }
        }).remove(id));

        assertEquals(Optional.empty(), moves.retry(id, "2"), "retried: the job is the user's again");
    }

    /**
     * A removal that ran past {@link JobRemoval#STOPPED_AFTER} (its process paused as it removed the files): another
     * removal took its mark for a stopped one's and dropped it, and the client retried the job. Waking, it keeps the
     * record and the files, which it deleted, retried job and all.
     */
    @Test
    void a_removal_whose_mark_was_dropped_meanwhile_keeps_the_record() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "paused:" + System.nanoTime() + ":");
        String id = failed(store);
        JobRemoval paused = new JobRemoval(store, new JobFiles(root), new LocalStorage(root), releasing(() -> {
            SERVER.client().hset(store.keys().job(id), JobTransitions.REMOVING, ""); // dropped by another
            assertEquals(Optional.empty(), new JobTransitions(store).retry(id, "2"), "retried by its client");
        }));

        Path input = Files.writeString(Files.createDirectories(new JobFiles(root).jobDir(id)).resolve("input.mp4"),
                "the retried job's input");

        assertEquals(false, paused.remove(id));

        assertEquals(JobStatus.QUEUED, store.find(id).orElseThrow().status());
        assertTrue(Files.exists(input), "the files the retried job runs on are kept");
    }

    /** Another removal (a DELETE on another instance, the expiry) finished the job while this one released it. */
    @Test
    void a_removal_whose_job_another_removal_finished_meanwhile_is_done() throws Exception {
        JobStore store = new JobStore(SERVER.client(), "twice:" + System.nanoTime() + ":");
        String id = failed(store);
        JobRemoval second = new JobRemoval(store, new JobFiles(root), new LocalStorage(root), releasing(
                () -> SERVER.client().del(store.keys().job(id)))); // the first removal's end

        assertTrue(second.remove(id), "removed, not taken for retried");
    }

    /** Originals whose release runs {@code meanwhile}: what happens while a removal hands the original back. */
    private static JobOriginals releasing(Runnable meanwhile) {
        return new JobOriginals() {
            @Override
            public void release(Job job) {
                meanwhile.run();
            }

            @Override
            public void unclaimed(String jobId, Path file, boolean copy) {
                throw new AssertionError("not asked");
            }
        };
    }

    /** A job that failed: its id. */
    private static String failed(JobStore store) {
        String id = running(store);
        assertTrue(new JobTransitions(store).fail(id, "aaaaaaaa", "Invalid data found when processing input",
                Instant.now()).isEmpty());
        return id;
    }

    /** A job that succeeded: its id. */
    private static String succeeded(JobStore store) {
        String id = running(store);
        assertTrue(new JobTransitions(store).succeed(id, "aaaaaaaa", List.of(), Instant.now()).isEmpty());
        return id;
    }

    /** A job a worker runs as attempt {@code aaaaaaaa}: its id. */
    private static String running(JobStore store) {
        String id = JobIds.next();
        store.create(Job.queued(id, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1,
                Instant.now()));
        assertTrue(new JobTransitions(store).begin(id, "aaaaaaaa", "w", 1, Instant.now(), "1-0", "").isEmpty());
        return id;
    }

    private JobRemoval removal(JobStore store, JobFiles files) {
        return new JobRemoval(store, files, new LocalStorage(root), mock(JobOriginals.class));
    }
}
