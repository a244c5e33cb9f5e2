package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.storage.Storage;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** How a part ends when it does not end stored: given up on, or stored for a run that is no longer its job's. */
class PartEndsTest {

    @TempDir
    Path root;

    private final JobStore store = mock(JobStore.class);
    private final Storage storage = mock(Storage.class);
    private final UnifiedJedis redis = mock(UnifiedJedis.class);
    private final AttemptEnds attemptEnds = mock(AttemptEnds.class);
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

    /**
     * Segment 3 retried, then segment 4 (whose retry the job's error shows now), then segment 3 out of attempts: the
     * job fails with segment 3's own last reason, not as if its worker had died each time.
     */
    @Test
    void a_part_given_up_on_fails_the_job_with_its_own_last_reason() {
        Exchange exchange = partOf("a1");
        heldBy("a1");
        String own = RetryPolicy.error("Segment 3, attempt 3", "FFmpeg made no progress for 120 s", 40_000);
        when(store.field(job.id(), "partError:r1:segment-00002.mp4")).thenReturn(Optional.of(own));
        Job failedOver = new Job(job.id(), JobStatus.RUNNING, "api", "default", "clip.mp4", job.preset(), "input.mp4", 1,
                job.createdAt(), job.createdAt(), null, 1, RetryPolicy.error("Segment 4, attempt 1",
                "the disk is full", 10_000), null, List.of(), Job.Progress.NONE, null);

        ends().gaveUp(exchange, failedOver, part);

        verify(attemptEnds).failed(exchange, failedOver, "gave_up", "Gave up on segment 3 after 3 attempts: the last"
                + " one: Segment 3, attempt 3: FFmpeg made no progress for 120 s.");
    }

    /**
     * A part of an earlier attempt (the job retried and split anew) that runs out of deliveries or fails removes
     * nothing: the parts stored are the new run's.
     */
    @Test
    void a_part_of_an_attempt_that_lost_the_job_leaves_the_parts_alone() throws Exception {
        Path stored = storedPart();
        heldBy("a2");

        assertThrows(AttemptLost.class, () -> ends().gaveUp(partOf("a1"), job, part));

        assertTrue(Files.exists(stored));
        verify(storage, never()).deleteParts(job.id());
        verifyNoInteractions(attemptEnds);
    }

    /** A part's exchange, of the split run {@code r1} of attempt {@code attempt}, delivered for the fourth time. */
    private static Exchange partOf(String attempt) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(SegmentWorker.RUN, "r1");
        exchange.setProperty(Attempts.PROPERTY, attempt);
        exchange.getIn().setHeader(RedisStreamConstants.DELIVERY_COUNT, 4L);
        return exchange;
    }

    /** The attempt that holds the job, as the fence's script finds it: any other is refused. */
    private void heldBy(String attempt) {
        when(redis.eval(anyString(), anyList(), eq(List.of(attempt)))).thenReturn("ok");
    }

    private PartEnds ends() {
        when(store.redis()).thenReturn(redis);
        when(store.keys()).thenReturn(new JobKeys("test:"));
        JobFiles files = new JobFiles(root);
        return new PartEnds(store, files, new PartFiles(files), storage, null, attemptEnds, Duration.ofMinutes(1),
                null);
    }

    private Path storedPart() throws Exception {
        Path parts = Files.createDirectories(root.resolve(job.id()).resolve("parts"));
        return Files.writeString(parts.resolve(part.fileName()), "segment");
    }
}
