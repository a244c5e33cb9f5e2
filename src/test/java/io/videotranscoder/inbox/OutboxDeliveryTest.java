package io.videotranscoder.inbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.EndedClaims;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.storage.LocalStorage;
import io.videotranscoder.storage.StagedMoves;
import io.videotranscoder.support.RedisServer;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a delivery into the outbox can be cut short, or meet another delivery of the same result (another API
 * process, or one resumed after a pause), ends with one whole result under a name of its own, never two, never part
 * of one. Against a real Redis; the copies are the data root's files, linked or copied as the service does, one of
 * them held halfway where a test needs a copy under way (as across mounts).
 */
class OutboxDeliveryTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(4);
    private static final String WHOLE = "whole output";

    @TempDir
    Path root;

    private Path outbox;
    private String prefix;
    private JobStore store;
    private HeldCopies storage;

    @BeforeEach
    void store() {
        outbox = root.resolve("outbox");
        prefix = "outbox:" + System.nanoTime() + ":";
        store = new JobStore(SERVER.client(), prefix);
        storage = new HeldCopies(root.resolve("data"));
    }

    @Test
    void a_copy_cut_short_is_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        Path left = StagedMoves.stagedName(Files.createDirectories(outbox));
        Files.writeString(left, "half"); // a process killed while it copied: housekeeping removes it

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom.mp4")));
    }

    /** Killed between its claim and its move: its copy is there, unmoved, and another delivery makes it again. */
    @Test
    void a_delivery_cut_short_after_its_claim_is_made_again_in_its_place() throws Exception {
        Job job = succeeded("output.mp4");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("trip-custom.mp4"), "a user's own file of that name");
        Path claimed = claimedCopy(job, "trip-custom-1.mp4", WHOLE);

        assertEquals(Optional.of(outbox.resolve("trip-custom-1.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom-1.mp4", "trip-custom.mp4"), visible());
        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom-1.mp4")));
        assertEquals("a user's own file of that name", Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(List.of(claimed.getFileName().toString()), hidden(),
                "left to housekeeping: only its maker moves it");
    }

    /**
     * Killed between its claim and its move, and no delivery came for an hour (the API down, the outbox's disk short):
     * housekeeping removed its copy. The result was never placed: it is delivered, not counted as taken away.
     */
    @Test
    void a_delivery_cut_short_whose_copy_housekeeping_removed_is_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        Files.delete(claimedCopy(job, "trip-custom.mp4", WHOLE));

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(List.of(), hidden());
        assertEquals(OutboxDelivery.PLACED, new EndedClaims(store).current(job.id(), OutboxDelivery.DELIVERED).by());
    }

    /**
     * Killed after its claim of a name a user's file took meanwhile, before its claim of the next, and its copy removed
     * by housekeeping an hour later: the user's file is not taken for the result, which is delivered beside it.
     */
    @Test
    void a_claim_of_a_users_file_whose_copy_housekeeping_removed_is_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("trip-custom.mp4"), "a user's own file of that name");
        Files.delete(claimedCopy(job, "trip-custom.mp4", WHOLE));

        assertEquals(Optional.of(outbox.resolve("trip-custom-1.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom-1.mp4")));
        assertEquals("a user's own file of that name", Files.readString(outbox.resolve("trip-custom.mp4")));
    }

    /**
     * The previous version's record of a delivery whose copy was moved (its claim kept the copy's name, and no mark):
     * not delivered again.
     */
    @Test
    void a_result_the_previous_version_delivered_is_not_delivered_again() throws Exception {
        Job job = succeeded("output.mp4");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("trip-custom.mp4"), WHOLE);
        legacyClaim(job, "trip-custom.mp4");

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), names());
    }

    /**
     * The previous version's record of a delivery killed before its move, its copy removed by housekeeping an hour
     * later: nothing tells it from a result its user took away, and a result delivered twice beats one lost.
     */
    @Test
    void a_claim_of_the_previous_version_whose_copy_housekeeping_removed_is_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        legacyClaim(job, "trip-custom.mp4");

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(OutboxDelivery.PLACED, new EndedClaims(store).current(job.id(), OutboxDelivery.DELIVERED).by());
    }

    private void legacyClaim(Job job, String name) {
        new EndedClaims(store).claim(job.id(), OutboxDelivery.DELIVERED, outbox.resolve(name).toString(),
                ".moving-" + java.util.UUID.randomUUID());
    }

    /**
     * Killed after its first claim, of a name a user's file took meanwhile, before its claim of the next: the name
     * recorded is the user's file, which is not the result.
     */
    @Test
    void a_claim_of_a_name_a_users_file_holds_is_not_taken_for_the_result() throws Exception {
        Job job = succeeded("output.mp4");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve("trip-custom.mp4"), "a user's own file of that name");
        claimedCopy(job, "trip-custom.mp4", WHOLE);

        assertEquals(Optional.of(outbox.resolve("trip-custom-1.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom-1.mp4")));
        assertEquals("a user's own file of that name", Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(outbox.resolve("trip-custom-1.mp4").toString(),
                new EndedClaims(store).current(job.id(), OutboxDelivery.DELIVERED).value());
    }

    /**
     * Delivered, then taken away by its user's pipeline before the original was handed back (that move failed, and is
     * asked again when the job expires): not delivered a second time.
     */
    @Test
    void a_result_its_user_took_away_is_not_delivered_again() throws Exception {
        Job job = succeeded("output.mp4");
        Path result = delivery().deliver(job, "trip.mp4").orElseThrow();
        Files.move(result, root.resolve("taken.mp4"));

        assertEquals(Optional.of(result), delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of(), names());
    }

    @Test
    void a_move_cut_short_that_an_earlier_version_recorded_is_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        Files.createDirectories(outbox);
        Files.writeString(outbox.resolve(".delivering-" + job.id()), WHOLE);
        SERVER.client().hset(prefix + "job:" + job.id(), OutboxDelivery.DELIVERED,
                outbox.resolve("trip-custom.mp4").toString());

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(List.of(), hidden());
    }

    @Test
    void a_delivery_done_is_not_made_again() throws Exception {
        Job job = succeeded("output.mp4");
        Optional<Path> first = delivery().deliver(job, "trip.mp4");

        assertEquals(first, delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(List.of(), hidden());
    }

    /**
     * One process copies (across mounts, slowly); another delivers the same result meanwhile and finishes first. The
     * first one's copy must neither be taken for the result nor become a second one.
     */
    @Test
    void two_deliveries_at_once_leave_one_whole_result() throws Exception {
        Job job = succeeded("output.mp4");
        CompletableFuture<Optional<Path>> slow = storage.holdingNextCopy(() -> delivery().deliver(job, "trip.mp4"));

        Optional<Path> fast = delivery().deliver(job, "trip.mp4");
        assertEquals(List.of("trip-custom.mp4"), visible());
        storage.release();

        assertEquals(fast, slow.get(30, TimeUnit.SECONDS));
        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), fast);
        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(List.of(), hidden());
    }

    /**
     * Another process claims the result while this one copies, and is killed before its move: its claim, never
     * placed, is not taken for the result (the original would then move on, and nothing deliver it again).
     */
    @Test
    void a_claim_made_and_cut_short_while_this_delivery_copied_is_not_taken_for_the_result() throws Exception {
        Job job = succeeded("output.mp4");
        CompletableFuture<Optional<Path>> slow = storage.holdingNextCopy(() -> delivery().deliver(job, "trip.mp4"));
        Path killed = claimedCopy(job, "trip-custom.mp4", "half");

        storage.release();

        assertEquals(Optional.of(outbox.resolve("trip-custom.mp4")), slow.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom.mp4")));
        assertEquals(List.of(killed.getFileName().toString()), hidden(), "left to housekeeping");
    }

    /** An HLS result's folder: the other delivery must not write into, or remove, the one that stands. */
    @Test
    void two_deliveries_of_a_folder_at_once_leave_it_whole() throws Exception {
        Job job = succeeded("index.m3u8", "segment0.ts", "segment1.ts");
        CompletableFuture<Optional<Path>> slow = storage.holdingNextCopy(() -> delivery().deliver(job, "trip.mp4"));

        Optional<Path> fast = delivery().deliver(job, "trip.mp4");
        storage.release();

        assertEquals(fast, slow.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("trip-custom"), visible());
        try (var files = Files.list(outbox.resolve("trip-custom"))) {
            assertEquals(List.of("index.m3u8", "segment0.ts", "segment1.ts"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        assertEquals(WHOLE, Files.readString(outbox.resolve("trip-custom").resolve("segment1.ts")));
        assertEquals(List.of(), hidden());
    }

    /** A DELETE in another process delivered it and removed the job while this copy was under way. */
    @Test
    void a_delivery_whose_job_was_removed_meanwhile_leaves_nothing() throws Exception {
        Job job = succeeded("output.mp4");
        CompletableFuture<Optional<Path>> slow = storage.holdingNextCopy(() -> delivery().deliver(job, "trip.mp4"));

        assertTrue(delivery().deliver(job, "trip.mp4").isPresent());
        store.delete(job.id());
        PathUtils.deleteDirectory(root.resolve("data").resolve(job.id()));
        storage.release();

        assertEquals(Optional.empty(), slow.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("trip-custom.mp4"), visible());
        assertEquals(List.of(), hidden());
    }

    /** Nothing recorded: the failure is the caller's to report, and the delivery's copy goes. */
    @Test
    void a_delivery_that_fails_alone_says_so_and_leaves_no_copy() throws Exception {
        Job job = succeeded("output.mp4");
        Files.delete(root.resolve("data").resolve(job.id()).resolve("output.mp4"));

        assertThrows(NoSuchFileException.class, () -> delivery().deliver(job, "trip.mp4"));

        assertEquals(List.of(), visible());
        assertEquals(List.of(), hidden());
        assertEquals(EndedClaims.State.OPEN, new EndedClaims(store).current(job.id(), OutboxDelivery.DELIVERED)
                .state());
    }

    private OutboxDelivery delivery() {
        return new OutboxDelivery(store, storage, outbox);
    }

    /** A succeeded inbox job whose outputs are in the data root, each holding {@link #WHOLE}. */
    private Job succeeded(String... outputs) throws IOException {
        String id = JobIds.next();
        Path folder = Files.createDirectories(root.resolve("data").resolve(id));
        for (String output : outputs) {
            Files.writeString(folder.resolve(output), WHOLE);
        }
        Job job = new Job(id, JobStatus.SUCCEEDED, "inbox", "default", "trip.mp4",
                TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 5, Instant.now(), Instant.now(), Instant.now(), 1,
                null, null, List.of(outputs).stream().map(o -> new Job.Output(o, WHOLE.length())).toList(),
                Job.Progress.NONE, null);
        store.create(job);
        return job;
    }

    /** A delivery's copy, claimed for {@code name}, as a delivery killed before its move leaves it. */
    private Path claimedCopy(Job job, String name, String content) throws IOException {
        Path copy = StagedMoves.stagedName(Files.createDirectories(outbox));
        Files.writeString(copy, content);
        new EndedClaims(store).claim(job.id(), OutboxDelivery.DELIVERED, outbox.resolve(name).toString(),
                OutboxDelivery.claimant(copy));
        return copy;
    }

    private List<String> visible() throws IOException {
        return names().stream().filter(n -> !n.startsWith(".")).toList();
    }

    private List<String> hidden() throws IOException {
        return names().stream().filter(n -> n.startsWith(".")).toList();
    }

    private List<String> names() throws IOException {
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (var files = Files.list(outbox)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** The data root's files; the copy asked for while {@link #holdingNextCopy} is written half, then held. */
    static final class HeldCopies extends LocalStorage {

        private final Path root;
        private volatile CountDownLatch started;
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Thread holder;

        HeldCopies(Path root) {
            super(root);
            this.root = root;
        }

        interface Delivery {
            Optional<Path> run() throws IOException;
        }

        /** Starts {@code delivery} on a thread of its own, and returns once its first copy is under way. */
        CompletableFuture<Optional<Path>> holdingNextCopy(Delivery delivery) throws InterruptedException {
            started = new CountDownLatch(1);
            CompletableFuture<Optional<Path>> result = new CompletableFuture<>();
            holder = new Thread(() -> {
                try {
                    result.complete(delivery.run());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            }, "held-delivery");
            holder.start();
            assertTrue(started.await(30, TimeUnit.SECONDS), "the held delivery's copy began");
            return result;
        }

        void release() {
            released.countDown();
        }

        @Override
        public void copy(String key, Path target) throws IOException {
            if (Thread.currentThread() != holder) {
                super.copy(key, target);
                return;
            }
            byte[] bytes = Files.readAllBytes(root.resolve(key)); // read before it is held, as a copy under way has
            try (OutputStream out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                out.write(bytes, 0, bytes.length / 2);
                out.flush();
                started.countDown();
                if (!released.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
