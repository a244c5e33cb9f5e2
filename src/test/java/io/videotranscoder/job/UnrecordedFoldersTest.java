package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Job folders no record names: what they received goes back where it came from, and nothing a submission makes. */
class UnrecordedFoldersTest {

    @TempDir
    Path root;

    private final JobStore store = mock(JobStore.class);
    private final JobSubmitter submitter = mock(JobSubmitter.class);
    private final Storage storage = mock(Storage.class);
    private final JobOriginals originals = mock(JobOriginals.class);
    private final Clock later = Clock.offset(Clock.systemUTC(), UnrecordedFolders.AGE.plusMinutes(1));
    private JobFiles files;
    private Path claimed;
    private String id;

    /** An inbox file claimed, then moved into its job's folder by a process that died before it recorded the job. */
    @BeforeEach
    void leftBehind() throws IOException {
        files = new JobFiles(root.resolve("videos"));
        claimed = Files.writeString(Files.createDirectories(root.resolve("inbox/.claimed/api-1")).resolve("trip.mp4"),
                "the user's only copy");
        id = JobIds.next();
        when(store.keys()).thenReturn(new JobKeys("transcoder:"));
        new ReceivedFiles(files, "transcoder:").adopt(new JobRequest("inbox", claimed, "trip.mp4", null), id, "input.mp4");
        Files.delete(claimed.getParent()); // the recovery took the empty claim away
        when(store.status(any())).thenReturn(Optional.empty());
        when(storage.local()).thenReturn(true);
    }

    @Test
    void a_file_a_dead_submission_received_goes_back_to_its_claim() throws IOException {
        sweep(later);

        assertEquals("the user's only copy", Files.readString(claimed), "back where the inbox takes it again");
        assertFalse(Files.exists(files.jobDir(id)));
    }

    @Test
    void a_copy_a_dead_submission_received_goes_and_its_original_stays_where_it_was_kept() throws IOException {
        Path original = Files.writeString(Files.createDirectories(root.resolve("inbox/.processing/kept"))
                .resolve("trip.mp4"), "kept on its own mount");
        String copied = JobIds.next();
        new ReceivedFiles(files, "transcoder:").adopt(new JobRequest("inbox", original, "trip.mp4", null)
                .copyOf(original, copied), copied, "input.mp4");
        assertEquals("kept on its own mount", Files.readString(files.jobDir(copied).resolve("input.mp4")));

        sweep(later);

        assertEquals("kept on its own mount", Files.readString(original));
        assertFalse(Files.exists(files.jobDir(copied)), "the copy and its folder are gone");
    }

    @Test
    void a_submission_under_way_a_recorded_job_and_a_recent_folder_are_left_alone() throws IOException {
        when(submitter.submitting(id)).thenReturn(true);
        sweep(later);
        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")), "this process is submitting it");

        when(submitter.submitting(id)).thenReturn(false);
        when(store.status(id)).thenReturn(Optional.of(JobStatus.QUEUED));
        sweep(later);
        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")), "recorded");

        when(store.status(id)).thenReturn(Optional.empty());
        sweep(Clock.systemUTC());
        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")), "made a moment ago");

        // A large file another process is still copying in: the file changes, its folder does not.
        Instant old = Instant.now().minus(UnrecordedFolders.AGE.multipliedBy(2));
        Files.setLastModifiedTime(files.jobDir(id), FileTime.from(old));
        sweep(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));
        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")), "its input is being written");
        assertFalse(Files.exists(claimed));
    }

    @Test
    void a_file_that_cannot_go_back_keeps_its_folder() throws IOException {
        Files.writeString(Files.createDirectories(claimed.getParent()).resolve("trip.mp4"), "a new file of that name");

        sweep(later);

        assertEquals("a new file of that name", Files.readString(claimed), "never replaced");
        assertEquals("the user's only copy", Files.readString(files.jobDir(id).resolve("input.mp4")));
    }

    @Test
    void with_an_object_store_an_original_whose_job_was_removed_goes_to_its_user() throws IOException {
        // recorded, then removed on another instance before its original was handed back
        new ReceivedFiles(files, "transcoder:").recorded(id);
        when(storage.local()).thenReturn(false);

        sweep(later);

        verify(originals).unclaimed(id, files.jobDir(id).resolve("input.mp4"), false);
        assertFalse(Files.exists(files.jobDir(id)));
    }

    @Test
    void an_original_the_user_cannot_be_given_keeps_its_folder() throws IOException {
        new ReceivedFiles(files, "transcoder:").recorded(id);
        when(storage.local()).thenReturn(false);
        doThrow(new IOException("inbox full")).when(originals).unclaimed(eq(id), any(), anyBoolean());

        sweep(later);

        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")));
    }

    @Test
    void on_the_local_data_root_a_folder_that_was_recorded_stays_whatever_redis_says() throws IOException {
        // its record may be missing from a Redis restored without it, or of another key prefix
        new ReceivedFiles(files, "transcoder:").recorded(id);

        sweep(later);

        verify(originals, never()).unclaimed(any(), any(), anyBoolean());
        verify(store, never()).status(id);
        assertEquals("the user's only copy", Files.readString(files.jobDir(id).resolve("input.mp4")));
    }

    /**
     * A job another deployment on the same data root (another key prefix) is submitting, or recorded while the note
     * stayed (its process killed between the two): its record is not this deployment's to see, and its folder is
     * left as it is, the note and all.
     */
    @Test
    void another_deployments_submission_is_left_alone() throws IOException {
        when(store.keys()).thenReturn(new JobKeys("other:"));

        sweep(later);
        when(storage.local()).thenReturn(false); // and where the API's disk keeps inbox originals only
        sweep(later);

        assertTrue(Files.exists(files.jobDir(id).resolve("input.mp4")));
        assertFalse(Files.exists(claimed), "not given back");
        verify(originals, never()).unclaimed(any(), any(), anyBoolean());
    }

    /** A note an earlier version wrote (no owner beside it) is this deployment's, as it was. */
    @Test
    void a_note_of_an_earlier_version_is_this_deployments() throws IOException {
        Files.delete(files.jobDir(id).resolve(".received-by"));

        sweep(later);

        assertEquals("the user's only copy", Files.readString(claimed));
        assertFalse(Files.exists(files.jobDir(id)));
    }

    /**
     * The note keeps the format an earlier version reads (the input's name, then where it came from), so that an
     * instance of that version, in a rolling update or after a rollback, gives the file back rather than taking a line
     * it does not know for the input's name and removing the folder. Whose it is, is a file of its own.
     */
    @Test
    void the_note_keeps_the_format_an_earlier_version_reads() throws IOException {
        assertEquals("input.mp4\n" + claimed.toAbsolutePath(),
                Files.readString(files.jobDir(id).resolve(".received")));
        assertEquals("transcoder:", Files.readString(files.jobDir(id).resolve(".received-by")));
    }

    private void sweep(Clock clock) throws IOException {
        new UnrecordedFolders(store, files, submitter, storage, originals, clock).sweep();
    }
}
