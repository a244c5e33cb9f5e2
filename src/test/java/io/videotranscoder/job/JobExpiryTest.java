package io.videotranscoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.storage.Storage;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** The expiry of jobs past their retention, against a real Redis; the object store is a mock that fails. */
class JobExpiryTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    @TempDir
    Path root;
    private final Storage storage = mock(Storage.class);
    private JobStore store;
    private JobExpiry expiry;

    /** Five succeeded jobs a month old. */
    @BeforeEach
    void oldJobs() {
        store = new JobStore(SERVER.client(), "expiry:" + System.nanoTime() + ":");
        Instant old = Instant.now().minus(Duration.ofDays(30));
        for (int i = 0; i < 5; i++) {
            store.create(new Job(JobIds.next(), JobStatus.SUCCEEDED, "api", "default", "clip.mp4",
                    TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, old, old, old, 1, null, null,
                    List.of(new Job.Output("output.mp4", 10)), Job.Progress.NONE, null, null));
        }
        JobRemoval removal = new JobRemoval(store, new JobFiles(root), storage, mock(JobOriginals.class));
        expiry = new JobExpiry(store, new JobIndexes(store), removal);
    }

    /**
     * An object store that takes connections but never answers holds each removal up to its call's limit: the run
     * ends after a few failures in a row (the next one tries again), rather than wait that long for every job in turn.
     */
    @Test
    void the_object_store_away_ends_the_run_after_a_few_failures_in_a_row() {
        doThrow(SdkClientException.create("Unable to execute HTTP request: Read timed out")).when(storage)
                .deleteJob(anyString());

        assertThrows(SdkClientException.class, () -> expiry.expire(null, Instant.now(), Duration.ofDays(7)));

        verify(storage, times(JobExpiry.STORE_FAILURES_TO_STOP)).deleteJob(anyString());
        assertEquals(5, new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10).size(), "all kept");
    }

    /** One job whose objects the store fails to list in time is passed over: it holds up no other. */
    @Test
    void one_job_the_store_fails_alone_is_passed_over() {
        String slow = new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10).get(0);
        doThrow(SdkClientException.create("Client execution did not complete before the specified timeout"))
                .when(storage).deleteJob(slow);

        expiry.expire(null, Instant.now(), Duration.ofDays(7));

        assertEquals(List.of(slow), new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10));
    }

    /**
     * More jobs kept at the front than a run looks at (their objects the store keeps): each run begins where the last
     * one ended, so the jobs behind them expire all the same, and the run after the last one begins at the front again.
     */
    @Test
    void jobs_kept_at_the_front_hold_back_no_later_run() {
        List<String> oldest = new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10).subList(0, 2);
        for (String kept : oldest) {
            doThrow(new UncheckedIOException(new IOException("The store kept 1 of the 2 objects"))).when(storage)
                    .deleteJob(kept);
        }
        JobExpiry small = new JobExpiry(store, new JobIndexes(store), new JobRemoval(store, new JobFiles(root),
                storage, mock(JobOriginals.class)), 2, 1); // two jobs a run

        for (int run = 0; run < 3; run++) {
            small.expire(null, Instant.now(), Duration.ofDays(7));
        }

        assertEquals(oldest, new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10), "the others expired");
        small.expire(null, Instant.now(), Duration.ofDays(7));
        verify(storage, times(2)).deleteJob(oldest.get(0)); // the first run's, and again once the front came round
    }

    /** A job the store keeps objects of (a key's own denial) is kept, and the others' expiry goes on. */
    @Test
    void a_job_the_store_keeps_is_passed_over() {
        doThrow(new UncheckedIOException(new IOException("The store kept 1 of the 2 objects"))).when(storage)
                .deleteJob(anyString());

        expiry.expire(null, Instant.now(), Duration.ofDays(7));

        verify(storage, times(5)).deleteJob(anyString());
    }

    /**
     * A job submitted a month ago that ended an hour ago (retried, or long queued) is kept for its retention from that
     * end: it was removed at the next run, before its client could read how it ended.
     */
    @Test
    void a_job_is_kept_for_its_retention_from_its_last_end_not_from_its_submission() {
        Instant month = Instant.now().minus(Duration.ofDays(30));
        String retried = JobIds.next();
        store.create(new Job(retried, JobStatus.FAILED, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT
                .toPreset(), "input.mp4", 5, month, month, Instant.now().minus(Duration.ofHours(1)), 2, "failed again",
                null, List.of(), Job.Progress.NONE, null, null));

        expiry.expire(JobStatus.FAILED, Instant.now(), Duration.ofDays(1));
        expiry.expire(null, Instant.now(), Duration.ofDays(7));

        assertEquals(JobStatus.FAILED, store.find(retried).orElseThrow().status());
        assertEquals(List.of(retried), new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10),
                "the five that ended a month ago are gone");
    }

    /**
     * The failed jobs' retention, which is shorter, never removes a job that has succeeded since it was read (retried
     * meanwhile): it is left to the succeeded jobs' retention; nor one that ended anew since, whatever its end.
     */
    @Test
    void the_failed_jobs_retention_removes_no_job_that_ended_otherwise_since() throws Exception {
        String succeeded = new JobIndexes(store).createdBefore(null, Instant.now(), 0, 10).get(0);
        JobRemoval removal = new JobRemoval(store, new JobFiles(root), storage, mock(JobOriginals.class));

        Instant ended = store.find(succeeded).orElseThrow().finishedAt();

        assertEquals(false, removal.remove(succeeded, JobStatus.FAILED, ended));
        assertEquals(false, removal.remove(succeeded, JobStatus.SUCCEEDED, ended.plusSeconds(1)), "ended anew");
        assertEquals(JobStatus.SUCCEEDED, store.find(succeeded).orElseThrow().status());
        assertEquals(true, removal.remove(succeeded, JobStatus.SUCCEEDED, ended));
    }
}
