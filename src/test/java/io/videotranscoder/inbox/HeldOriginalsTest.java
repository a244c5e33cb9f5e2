package io.videotranscoder.inbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** With an object store, the API that took an inbox file holds its original until the job ends. */
class HeldOriginalsTest {

    @TempDir
    Path root;

    private final JobStore store = mock(JobStore.class);
    private final Storage storage = mock(Storage.class);
    private final InboxResults results = mock(InboxResults.class);
    private final Job job = new Job(JobIds.next(), JobStatus.SUCCEEDED, "inbox", "default", "holiday.mp4",
            TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, Instant.now(), Instant.now(), Instant.now(), 1, null,
            null, List.of(), Job.Progress.NONE, null);

    @Test
    void an_original_that_could_not_be_handed_back_keeps_its_folder_and_is_not_delivered_again() throws Exception {
        Path original = held();
        when(results.deliverEnded(job)).thenReturn(false); // e.g. the inbox's disk is full

        HeldOriginals collector = collector();
        collector.collect();
        collector.collect();

        assertTrue(Files.exists(original), "the user's original is still there");
        verify(results, times(1)).deliverEnded(job);
    }

    /** Kept aside after its hand-back failed, then retried by its owner: delivered when it ends again. */
    @Test
    void an_original_kept_aside_is_delivered_again_once_its_job_was_retried_and_ended() throws Exception {
        held();
        when(results.deliverEnded(job)).thenReturn(false);
        HeldOriginals collector = collector();
        collector.collect();
        // Retried, and ended again between two looks.
        Job again = new Job(job.id(), JobStatus.SUCCEEDED, "inbox", "default", "holiday.mp4",
                TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, Instant.now(), Instant.now(),
                job.finishedAt().plusSeconds(60), 2, null, null, List.of(), Job.Progress.NONE, null);
        when(store.find(job.id())).thenReturn(Optional.of(again));
        when(results.deliverEnded(again)).thenReturn(true);

        collector.collect();

        verify(results, times(1)).deliverEnded(again);
    }

    @Test
    void a_delivered_jobs_folder_goes() throws Exception {
        Path original = held();
        when(results.deliverEnded(job)).thenReturn(true);

        collector().collect();

        assertFalse(Files.exists(original.getParent()));
    }

    @Test
    void a_job_retried_while_it_was_delivered_keeps_its_folder_for_its_next_end() throws Exception {
        Path original = held();
        when(results.deliverEnded(job)).thenReturn(true);
        when(results.holdsOriginal(job)).thenReturn(true); // its hand-back found the job queued again

        HeldOriginals collector = collector();
        collector.collect();
        collector.collect();

        assertTrue(Files.exists(original), "the retry's input is still there");
        verify(results, times(2)).deliverEnded(job); // not kept aside: delivered when it ends again
    }

    private HeldOriginals collector() {
        when(storage.local()).thenReturn(false);
        when(store.find(job.id())).thenReturn(Optional.of(job));
        return new HeldOriginals(store, new JobFiles(root), storage, results);
    }

    private Path held() throws Exception {
        return Files.writeString(Files.createDirectories(root.resolve(job.id())).resolve("input.mp4"), "original");
    }
}
