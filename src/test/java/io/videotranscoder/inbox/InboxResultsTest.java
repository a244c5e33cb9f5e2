package io.videotranscoder.inbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** An original is handed back once, however many ask at the same moment (a DELETE and the job's end event). */
class InboxResultsTest {

    @TempDir
    Path root;

    @Test
    void two_releases_of_one_job_at_once_hand_its_original_back_once() throws Exception {
        JobFiles files = new JobFiles(root.resolve("videos"));
        Path inbox = root.resolve("inbox");
        JobStore store = mock(JobStore.class);
        when(store.recordEnded(anyString(), anyString(), anyString())).thenReturn(true); // the job is still ended
        InboxClaims claims = new InboxClaims(inbox, mock(PresetCatalog.class), "api-1", 1_000, Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor());
        InboxResults results = new InboxResults(store, mock(Storage.class),
                claims, new KeptOriginals(claims, store, files, mock(JobSubmitter.class), 1_000),
                root.resolve("videos/outbox"), false);
        for (int round = 0; round < 20; round++) {
            String stem = "clip-" + round;
            String name = stem + ".mp4";
            Job job = new Job(JobIds.next(), JobStatus.CANCELLED, "inbox", "default", name,
                    TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, Instant.now(), Instant.now(), Instant.now(), 0,
                    "Cancelled at the client's request.", null, List.of(), Job.Progress.NONE, null);
            Files.writeString(Files.createDirectories(files.jobDir(job.id())).resolve("input.mp4"), "original");
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> releases = List.of(1, 2).stream().map(i -> CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    results.release(job);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).toList();
            start.countDown();
            releases.forEach(CompletableFuture::join);

            try (var failed = Files.list(inbox.resolve(".failed"))) {
                assertEquals(List.of(name, name + ".error.txt"), failed.map(f -> f.getFileName().toString())
                        .filter(f -> f.startsWith(stem + ".") || f.startsWith(stem + "-"))
                        .sorted().toList());
            }
        }
    }

    /**
     * A copy in the job's folder whose original another instance handed back (a DELETE there, with an object store:
     * that instance sees the inbox, not this one's disk) is removed, never handed to the user a second time.
     */
    @Test
    void a_copy_whose_original_was_handed_back_elsewhere_is_never_handed_back() throws Exception {
        JobFiles files = new JobFiles(root.resolve("api-1"));
        Path inbox = root.resolve("inbox");
        JobStore store = mock(JobStore.class);
        when(store.recordEnded(anyString(), anyString(), anyString())).thenReturn(true);
        InboxClaims claims = new InboxClaims(inbox, mock(PresetCatalog.class), "api-1", 1_000, Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor());
        InboxResults results = new InboxResults(store, mock(Storage.class), claims,
                new KeptOriginals(claims, store, files, mock(JobSubmitter.class), 1_000), root.resolve("outbox"),
                false);
        Job job = new Job(JobIds.next(), JobStatus.FAILED, "inbox", "default", "trip.mp4",
                TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 4, Instant.now(), Instant.now(), Instant.now(), 1,
                "Invalid data found when processing input.", null, List.of(), Job.Progress.NONE, null);
        Path copy = Files.writeString(Files.createDirectories(files.jobDir(job.id())).resolve("input.mp4"), "copy");
        Files.writeString(files.jobDir(job.id()).resolve(JobFiles.COPY_NOTE), "");

        assertFalse(results.holdsOriginal(job));
        results.release(job);
        results.unclaimed(job.id(), copy, true);

        assertFalse(Files.exists(copy));
        assertFalse(Files.exists(inbox.resolve(".failed")), "nothing handed back twice");
    }
}
