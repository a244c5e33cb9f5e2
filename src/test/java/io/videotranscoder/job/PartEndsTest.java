package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** A part stored for a run of its job that is no longer the job's run. */
class PartEndsTest {

    @TempDir
    Path root;

    private final JobStore store = mock(JobStore.class);
    private final Storage storage = mock(Storage.class);
    private final Job job = Job.queued(JobIds.next(), "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
            "input.mp4", 1, Instant.now());
    private final Part part = new Part(job.id(), Part.Kind.SEGMENT, 2, 6, 9.0, 3);

    @Test
    void the_parts_of_a_job_that_ended_while_it_ran_go() throws Exception {
        Path stored = storedPart();
        when(store.ended(job.id())).thenReturn(true);

        ends().stale(job, part);

        assertFalse(Files.exists(stored));
        verify(storage).deleteParts(job.id());
    }

    @Test
    void the_parts_of_a_job_split_again_meanwhile_are_the_new_runs_and_stay() throws Exception {
        Path stored = storedPart();
        when(store.ended(job.id())).thenReturn(false); // retried: queued or running again, split anew

        ends().stale(job, part);

        assertTrue(Files.exists(stored));
        verify(storage, never()).deleteParts(job.id());
    }

    private PartEnds ends() {
        JobFiles files = new JobFiles(root);
        return new PartEnds(store, files, new PartFiles(files), storage, null, null, Duration.ofMinutes(1), null);
    }

    private Path storedPart() throws Exception {
        Path parts = Files.createDirectories(root.resolve(job.id()).resolve("parts"));
        return Files.writeString(parts.resolve(part.fileName()), "segment");
    }
}
