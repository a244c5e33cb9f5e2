package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ScratchCopiesTest {

    private static final String A = JobIds.next();
    private static final String B = JobIds.next();

    @TempDir
    Path root;

    private final JobStore store = mock(JobStore.class);

    @Test
    void a_jobs_copies_stay_while_any_of_its_runs_holds_it_and_go_with_the_last_run_once_it_is_over() throws Exception {
        ScratchCopies copies = ScratchCopies.in(root.resolve("scratch"), store);
        copies.hold(A); // the run that splits the job
        copies.hold(A); // its first part, on another thread of this worker
        Path input = copy(copies, A);
        when(store.ended(A)).thenReturn(true);

        copies.release(A);
        assertTrue(Files.exists(input), "the part still reads it");

        copies.release(A);
        assertFalse(Files.exists(input.getParent()), "no run holds the job, and it is over");
    }

    @Test
    void a_running_jobs_copies_wait_for_its_next_part_until_a_run_of_another_job_begins() throws Exception {
        ScratchCopies copies = ScratchCopies.in(root.resolve("scratch"), store);
        when(store.ended(A)).thenReturn(false);
        copies.hold(A);
        Path input = copy(copies, A);
        copies.release(A);
        assertTrue(Files.exists(input), "the job's next part may come here");

        copies.hold(A);
        assertTrue(Files.exists(input), "its next part finds the input copied");
        copies.release(A);

        copies.hold(B);
        assertFalse(Files.exists(input.getParent()), "a worker keeps only the copies of the jobs it runs");
    }

    @Test
    void a_held_jobs_copies_are_never_swept() throws Exception {
        ScratchCopies copies = ScratchCopies.in(root.resolve("scratch"), store);
        copies.hold(A);
        Path input = copy(copies, A);

        copies.hold(B);

        assertTrue(Files.exists(input));
    }

    @Test
    void a_queue_entry_that_names_no_job_holds_and_removes_nothing() throws Exception {
        ScratchCopies copies = ScratchCopies.in(root.resolve("scratch"), store);
        Path other = Files.createDirectories(root.resolve("scratch").resolve("..").resolve("kept")).normalize();

        copies.hold("../kept");
        copies.release("../kept");

        assertTrue(Files.isDirectory(other));
    }

    @Test
    void the_scratch_folder_is_emptied_as_the_worker_starts() throws Exception {
        Path left = Files.createDirectories(root.resolve("scratch").resolve(A));

        ScratchCopies.in(root.resolve("scratch"), store);

        assertFalse(Files.exists(left));
        assertTrue(Files.isDirectory(root.resolve("scratch")));
    }

    @Test
    void the_local_data_root_is_neither_copied_to_nor_swept() throws Exception {
        ScratchCopies copies = ScratchCopies.none(new JobFiles(root));
        Path input = copy(copies, A);
        when(store.ended(A)).thenReturn(true);

        copies.hold(A);
        copies.release(A);
        copies.hold(B);

        assertTrue(Files.exists(input));
    }

    @Test
    void an_input_lacks_until_it_is_there_whole_under_its_name() throws Exception {
        ScratchCopies copies = ScratchCopies.in(root.resolve("scratch"), store);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(JobSubmitter.JOB, job(A, JobStatus.RUNNING));
        Files.createDirectories(copies.files().jobDir(A));
        Files.writeString(copies.files().jobDir(A).resolve(".part-download"), "half");

        assertTrue(copies.lacksInput(exchange));

        copy(copies, A);
        assertFalse(copies.lacksInput(exchange));
    }

    private static Path copy(ScratchCopies copies, String id) throws Exception {
        Path dir = Files.createDirectories(copies.files().jobDir(id));
        return Files.writeString(dir.resolve("input.mp4"), "video");
    }

    private static Job job(String id, JobStatus status) {
        return new Job(id, status, "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5,
                Instant.now(), null, null, 1, null, null, List.of(), Job.Progress.NONE, null);
    }
}
