package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.StagedMoves;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Inbox originals kept on the inbox's mount while their jobs run on a copy elsewhere. */
class KeptOriginalsTest {

    @TempDir
    Path root;
    private Path inbox;
    private JobStore store;
    private JobFiles files;
    private KeptOriginals kept;

    @BeforeEach
    void inbox() {
        inbox = root.resolve("inbox");
        store = mock(JobStore.class);
        when(store.status(anyString())).thenReturn(Optional.empty());
        files = new JobFiles(root.resolve("videos"));
        InboxClaims claims = new InboxClaims(inbox, mock(PresetCatalog.class), "api-1", 1_000, Clock.systemUTC(),
                Executors.newSingleThreadScheduledExecutor());
        kept = new KeptOriginals(claims, store, files, mock(JobSubmitter.class), 1);
    }

    /** What a submission that was refused for the moment, or whose process died, left here. */
    private Path left(String id, String relative) throws IOException {
        Path file = inbox.resolve(".processing").resolve(id).resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "the user's file");
    }

    private void sweepUntil(Path file) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            kept.sweep();
            return Files.exists(file);
        });
    }

    @Test
    void an_original_whose_job_was_never_recorded_goes_back_where_it_was_dropped() throws Exception {
        String id = JobIds.next();
        left(id, "hls-ladder/trip.mp4");
        // A process killed as it began the job's folder left it without the note of what it received.
        Files.writeString(Files.createDirectories(files.jobDir(id)).resolve(".received-by"), "transcoder:");

        sweepUntil(inbox.resolve("hls-ladder/trip.mp4"));

        assertEquals("the user's file", Files.readString(inbox.resolve("hls-ladder/trip.mp4")));
        assertFalse(Files.exists(inbox.resolve(".processing").resolve(id)), "its folder goes with it");
    }

    @Test
    void an_original_whose_job_is_recorded_or_copied_or_whose_submission_goes_on_elsewhere_stays() throws Exception {
        String recorded = JobIds.next();
        when(store.status(recorded)).thenReturn(Optional.of(JobStatus.QUEUED));
        Path recordedOne = left(recorded, "queued.mp4");
        // Another instance's submission (its job's folder on its own disk, with an object store) touches it.
        String submitting = JobIds.next();
        Path submittedOne = left(submitting, "copying.mp4");
        AtomicLong touched = new AtomicLong(System.currentTimeMillis());
        // A recorded job's copy in its folder, its record lost (Redis restored without it), or another deployment's.
        String lost = JobIds.next();
        Path lostOne = left(lost, "lost.mp4");
        Files.writeString(Files.createDirectories(files.jobDir(lost)).resolve("input.mp4"), "copy");
        Files.writeString(files.jobDir(lost).resolve(JobFiles.COPY_NOTE), "");
        String never = JobIds.next();
        left(never, "never.mp4");

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Files.setLastModifiedTime(submittedOne.getParent(), FileTime.fromMillis(touched.addAndGet(1000)));
            kept.sweep();
            return Files.exists(inbox.resolve("never.mp4"));
        });

        assertTrue(Files.exists(recordedOne));
        assertTrue(Files.exists(submittedOne));
        assertTrue(Files.exists(lostOne));
        assertEquals(Optional.of(recordedOne), kept.kept(recorded));
    }

    @Test
    void a_file_renamed_into_its_job_is_not_kept() throws Exception {
        Path claimed = Files.writeString(Files.createDirectories(inbox.resolve(".claimed/api-1-x")).resolve("a.mp4"),
                "on the data folder's mount");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(InboxClaims.CLAIM, new InboxClaims.Claim(claimed.getParent(), claimed, "a.mp4"));
        JobRequest request = new JobRequest("inbox", claimed, "a.mp4", null);

        assertSame(request, kept.keep(request, exchange));
        assertFalse(Files.exists(inbox.resolve(".processing")));
    }

    @Test
    void a_file_copied_into_its_job_is_kept_on_its_own_mount_and_its_claim_follows_it() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && !StagedMoves.sameMount(shm, root), "no second mount here");
        Path apart = Files.createTempDirectory(shm, "kept-originals-");
        try {
            files = new JobFiles(apart);
            kept = new KeptOriginals(new InboxClaims(inbox, mock(PresetCatalog.class), "api-1", 1_000,
                    Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor()), store, files,
                    mock(JobSubmitter.class), 1);
            Path claimed = Files.writeString(Files.createDirectories(inbox.resolve(".claimed/api-1-x/thumbnail"))
                    .resolve("a.mp4"), "the user's file");
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.setProperty(InboxClaims.CLAIM, new InboxClaims.Claim(inbox.resolve(".claimed/api-1-x"), claimed,
                    "thumbnail/a.mp4"));

            JobRequest request = kept.keep(new JobRequest("inbox", claimed, "a.mp4", null), exchange);

            Path original = inbox.resolve(".processing").resolve(request.id()).resolve("thumbnail/a.mp4");
            assertEquals(original, request.file());
            assertTrue(request.copied());
            assertEquals("the user's file", Files.readString(original));
            assertEquals(original, exchange.getProperty(InboxClaims.CLAIM, InboxClaims.Claim.class).file());
            assertEquals(Optional.of(original), kept.kept(request.id()));
            // Touched while its submission goes on: no instance takes it back for a dead process's meanwhile.
            Path folder = inbox.resolve(".processing").resolve(request.id());
            FileTime made = Files.getLastModifiedTime(folder);
            await().atMost(Duration.ofSeconds(5)).until(() -> !Files.getLastModifiedTime(folder).equals(made));
        } finally {
            PathUtils.deleteDirectory(apart);
        }
    }

    @Test
    void a_move_whose_file_is_still_there_failed_whatever_it_says() throws Exception {
        Path original = Files.writeString(root.resolve("input.mp4"), "original");
        KeptOriginals.Move targetFolderRemoved = () -> {
            throw new NoSuchFileException(root.resolve(".done/input.mp4").toString());
        };

        assertThrows(NoSuchFileException.class, () -> KeptOriginals.moved(original, targetFolderRemoved),
                "not taken for moved, so the job's removal does not delete the original with the job's folder");
        Files.delete(original); // moved by another caller first
        KeptOriginals.moved(original, targetFolderRemoved);
    }
}
