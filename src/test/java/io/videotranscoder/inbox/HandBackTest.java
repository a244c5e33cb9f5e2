package io.videotranscoder.inbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.JobTransitions;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.support.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/**
 * A failed inbox job's original goes back to its user, or a retry runs the job again: never both, whichever comes
 * first, against a real Redis. Both would leave a retried job whose result reaches no outbox. Likewise a job is
 * removed (DELETE, expiry) or retried, never both: the removal would take the retried job's original and record.
 */
class HandBackTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);

    @TempDir
    Path root;
    private JobStore store;
    private JobTransitions moves;
    private JobFiles files;
    private InboxResults results;
    private Job failed;

    @BeforeEach
    void failedInboxJob() throws Exception {
        store = new JobStore(SERVER.client(), "handback:" + System.nanoTime() + ":");
        moves = new JobTransitions(store);
        files = new JobFiles(root.resolve("videos"));
        InboxClaims claims = new InboxClaims(root.resolve("inbox"), mock(PresetCatalog.class), "api-1", 1_000,
                Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor());
        results = new InboxResults(store, new LocalStorage(root.resolve("videos")),
                claims, new KeptOriginals(claims, store, files, mock(JobSubmitter.class), 1_000),
                root.resolve("videos/outbox"), false);
        String id = JobIds.next();
        store.create(Job.queued(id, "inbox", "default", "holiday.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, Instant.now()));
        Files.writeString(Files.createDirectories(files.jobDir(id)).resolve("input.mp4"), "original");
        assertTrue(moves.begin(id, "aaaaaaaa", "w1", 1, Instant.now(), "1-0", "").isEmpty());
        assertTrue(moves.fail(id, "aaaaaaaa", "Invalid data found when processing input.", Instant.now()).isEmpty());
        failed = store.find(id).orElseThrow();
    }

    @Test
    void a_job_whose_original_was_handed_back_is_not_retried() throws Exception {
        results.release(failed);

        assertEquals("original", Files.readString(root.resolve("inbox/.failed/holiday.mp4")));
        assertEquals(Optional.of(JobTransitions.HANDED_BACK), moves.retry(failed.id(), "r2"));
        assertEquals("failed", store.status(failed.id()).orElseThrow().value());
    }

    @Test
    void a_job_retried_before_its_hand_back_keeps_its_original_for_the_new_attempt() throws Exception {
        assertTrue(moves.retry(failed.id(), "r2").isEmpty());

        results.release(failed); // the end event read before the retry, handled after it

        assertEquals("original", Files.readString(files.jobDir(failed.id()).resolve("input.mp4")));
        assertTrue(Files.notExists(root.resolve("inbox/.failed/holiday.mp4")));
        assertTrue(results.holdsOriginal(failed), "the next end of the job delivers it");
    }

    @Test
    void a_job_whose_removal_began_is_not_retried_and_a_retried_job_is_not_removed() {
        String id = failed.id();
        assertTrue(moves.retry(id, "r2").isEmpty());
        assertFalse(store.recordEnded(id, JobTransitions.REMOVING, "now"), "a DELETE after the retry stops");

        assertTrue(moves.fail(id, "", "Invalid data found when processing input.", Instant.now()).isEmpty());
        assertTrue(store.recordEnded(id, JobTransitions.REMOVING, "now"));
        assertEquals(Optional.of(JobTransitions.REMOVING), moves.retry(id, "r2"), "a retry after the DELETE began");

        store.recordEnded(id, JobTransitions.REMOVING, ""); // the removal failed: the job stays, and may be retried
        assertTrue(moves.retry(id, "r2").isEmpty());
    }
}
