package io.videotranscoder.inbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.Storage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Every way a delivery into the outbox can have been cut short ends with one whole result, never two. */
class OutboxDeliveryTest {

    @TempDir
    Path outbox;

    private final JobStore store = mock(JobStore.class);
    private final Storage storage = mock(Storage.class);
    private final Map<String, String> fields = new HashMap<>();
    private final Job job = new Job(JobIds.next(), JobStatus.SUCCEEDED, "inbox", "default", "trip.mp4",
            TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, Instant.now(), Instant.now(), Instant.now(), 1, null,
            null, List.of(new Job.Output("output.mp4", 5)), Job.Progress.NONE, null);
    private OutboxDelivery delivery;

    @BeforeEach
    void store() throws Exception {
        when(store.field(eq(job.id()), anyString())).thenAnswer(i -> Optional.ofNullable(fields.get(i.getArgument(1,
                String.class))));
        when(store.recordEnded(eq(job.id()), anyString(), anyString())).thenAnswer(i -> {
            fields.put(i.getArgument(1), i.getArgument(2));
            return true;
        });
        doAnswer(i -> Files.writeString(i.getArgument(1, Path.class), "whole")).when(storage).copy(anyString(),
                any());
        delivery = new OutboxDelivery(store, storage, outbox);
    }

    @Test
    void a_copy_cut_short_is_made_again() throws Exception {
        Files.writeString(outbox.resolve(".delivering-" + job.id()), "half");

        assertEquals(outbox.resolve("trip-custom.mp4"), delivery.deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), names());
        assertEquals("whole", Files.readString(outbox.resolve("trip-custom.mp4")));
    }

    @Test
    void a_move_cut_short_after_its_name_was_recorded_is_finished() throws Exception {
        Files.writeString(outbox.resolve("trip-custom.mp4"), "a user's own file of that name");
        Files.writeString(outbox.resolve(".delivering-" + job.id()), "whole");
        fields.put(OutboxDelivery.DELIVERED, outbox.resolve("trip-custom-1.mp4").toString());

        assertEquals(outbox.resolve("trip-custom-1.mp4"), delivery.deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom-1.mp4", "trip-custom.mp4"), names());
        assertEquals("a user's own file of that name", Files.readString(outbox.resolve("trip-custom.mp4")));
    }

    @Test
    void a_delivery_done_is_not_made_again() throws Exception {
        Path first = delivery.deliver(job, "trip.mp4");

        assertEquals(first, delivery.deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), names());
    }

    private List<String> names() throws Exception {
        try (var files = Files.list(outbox)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
