package io.videotranscoder.inbox;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobTransitions;
import io.videotranscoder.storage.StagedMoves;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user's original dropped in the inbox outlives its job: retention removes only what the service made. */
class InboxOriginalsIT {

    @TempDir
    static Path root;
    static Path clip;

    /** An API without a worker, for the tests that end its jobs themselves (as a worker elsewhere would), or not. */
    static TestApp api;

    @BeforeAll
    static void start() throws Exception {
        clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "640x360");
        api = TestApp.start(root.resolve("api/data"), Map.of("transcoder.role", "api"));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    static Path drop(Path inbox, String name) throws Exception {
        Files.createDirectories(inbox);
        Path staging = Files.copy(clip, root.resolve("clips/staging-" + System.nanoTime()));
        return Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The attempt of a worker elsewhere: it began the job from its queue entry, and may end it. */
    private static final String ELSEWHERE = "aaaaaaaa";

    /** A worker elsewhere begins the job; its moves, to end it as that worker would. */
    private static JobTransitions begunElsewhere(String id) {
        return begunElsewhere(api, id);
    }

    private static JobTransitions begunElsewhere(TestApp app, String id) {
        JobTransitions moves = new JobTransitions(app.context().getRegistry().findSingleByType(JobStore.class));
        assertTrue(moves.begin(id, ELSEWHERE, "elsewhere", 1, Instant.now(), "1-0", "").isEmpty());
        return moves;
    }

    /** A worker elsewhere runs the job to success: the clip is its output. */
    private static void succeededElsewhere(String id) throws Exception {
        succeededElsewhere(api, id);
    }

    private static void succeededElsewhere(TestApp app, String id) throws Exception {
        Path output = Files.copy(clip, app.dataDir().resolve(id).resolve("output.mp4"));
        List<Job.Output> outputs = List.of(new Job.Output("output.mp4", Files.size(output)));
        assertTrue(begunElsewhere(app, id).succeed(id, ELSEWHERE, outputs, Instant.now()).isEmpty());
    }

    static String awaitJob(Http http, String filename, String status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode job : http.get("/jobs?limit=100").json().path("jobs")) {
                if (filename.equals(job.path("filename").asText()) && job.path("status").asText().matches(status)) {
                    return job.path("id").asText();
                }
            }
            return null;
        }, id -> id != null);
    }

    @Test
    void keeps_inbox_original_after_retention() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("kept/data"), Map.of("transcoder.housekeeping-period", "1s",
                "transcoder.retention", "3s"))) {
            Http http = app.http();
            drop(app.inbox(), "holiday.mp4");

            // Its end is waited for (a poll could miss it: the job is forgotten soon after).
            String id = awaitJob(http, "holiday.mp4", "queued|running|succeeded");
            assertEquals("succeeded", http.get("/jobs/" + id + "?wait=30").json().path("status").asText());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.get("/jobs/" + id).status() == 404);

            assertTrue(Files.notExists(app.dataDir().resolve(id)), "the job's own files are gone");
            assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(app.inbox().resolve(".done/holiday.mp4")));
            assertTrue(Files.exists(app.dataDir().resolve("outbox/holiday-h264-720p.mp4")));
        }
    }

    @Test
    void a_result_its_worker_did_not_hand_over_is_delivered_from_the_jobs_event_log() throws Exception {
        // No worker in this process: one elsewhere ends the job, then dies before anything else.
        TestApp app = api; // the class's API: no worker runs a job in it
        drop(app.inbox(), "broken.mp4");
        String id = awaitJob(app.http(), "broken.mp4", "queued");
        assertTrue(begunElsewhere(id).fail(id, ELSEWHERE, "Invalid data found when processing input.", Instant.now())
                .isEmpty());

        Path original = app.inbox().resolve(".failed/broken.mp4");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(original));
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(original));
        assertEquals("Invalid data found when processing input.\n",
                Files.readString(app.inbox().resolve(".failed/broken.mp4.error.txt")));

        // Its file is the user's again: a retry would have no input here, and its result no outbox.
        Http.Answer retry = app.http().post("/jobs/" + id + "/retry", "application/json", "");
        assertEquals(409, retry.status());
        assertTrue(retry.json().path("detail").asText().contains("handed back to the inbox's .failed folder"),
                retry.body());
    }

    @Test
    void a_delivery_cut_short_is_made_again_whole_and_a_delivery_asked_twice_once() throws Exception {
        TestApp app = api; // the class's API: no worker runs a job in it
        drop(app.inbox(), "trip.mp4");
        String id = awaitJob(app.http(), "trip.mp4", "queued");
        // What a delivery killed mid-copy left in the outbox, under a name no user reads as a result.
        Path outbox = Files.createDirectories(app.dataDir().resolve("outbox"));
        Files.writeString(StagedMoves.stagedName(outbox), "the first half"); // housekeeping removes it in an hour
        succeededElsewhere(id);

        Path done = app.inbox().resolve(".done/trip.mp4");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(done));
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(outbox.resolve("trip-h264-720p.mp4")));
        // Killed after the result was delivered, before the original was handed back: asked again.
        Files.move(done, app.dataDir().resolve(id).resolve("input.mp4"));
        InboxResults results = app.context().getRegistry().findSingleByType(InboxResults.class);
        assertTrue(results.deliverEnded(app.context().getRegistry().findSingleByType(JobStore.class).find(id)
                .orElseThrow()));

        try (var delivered = Files.list(outbox)) {
            assertEquals(List.of("trip-h264-720p.mp4"), delivered.map(f -> f.getFileName().toString())
                    .filter(f -> f.contains("trip")).toList());
        }
        assertTrue(Files.exists(done), "the original is handed back");
    }

    @Test
    void a_succeeded_job_deleted_before_its_result_was_delivered_delivers_it_first() throws Exception {
        TestApp app = api; // the class's API: no worker runs a job in it
        drop(app.inbox(), "early.mp4");
        String id = awaitJob(app.http(), "early.mp4", "queued");
        app.context().getRouteController().stopRoute("inbox-results"); // the inbox has not read the end yet
        try {
            succeededElsewhere(id);

            assertEquals(204, app.http().delete("/jobs/" + id).status());
        } finally {
            app.context().getRouteController().startRoute("inbox-results");
        }

        assertArrayEquals(Files.readAllBytes(clip),
                Files.readAllBytes(app.dataDir().resolve("outbox/early-h264-720p.mp4")));
        assertTrue(Files.exists(app.inbox().resolve(".done/early.mp4")));
    }

    /**
     * The inbox on another mount than the data folder, as the compose file mounts them: a job gets a copy of its file,
     * and the original waits in .processing/ on its own mount. A writer that goes on after its file was taken writes
     * into the file its user gets back (removed by the copy, before, its last bytes were lost): the file comes back to
     * .failed/ whole, saying it changed, and the outbox has the result of what was taken. A file dropped whole goes
     * to .done/ as it was, and neither its copy nor anything in .processing/ stays.
     */
    @Test
    void on_another_mount_a_writer_that_goes_on_after_its_file_was_taken_loses_nothing() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && !StagedMoves.sameMount(shm, root), "no second mount here");
        Path inbox = Files.createTempDirectory(shm, "inbox-originals-");
        try (TestApp app = TestApp.start(root.resolve("apart/data"), Map.of("transcoder.role", "api",
                "transcoder.inbox-dir", inbox.toString()))) {
            byte[] bytes = Files.readAllBytes(clip);
            byte[] more = "written after a pause".getBytes(StandardCharsets.UTF_8);
            String paused;
            try (OutputStream out = Files.newOutputStream(inbox.resolve("paused.mp4"))) {
                out.write(bytes);
                out.flush();
                paused = awaitJob(app.http(), "paused.mp4", "queued");
                assertTrue(Files.isRegularFile(inbox.resolve(".processing").resolve(paused).resolve("paused.mp4")));
                assertArrayEquals(bytes, Files.readAllBytes(app.dataDir().resolve(paused).resolve("input.mp4")));
                out.write(more);
            }
            succeededElsewhere(app, paused);

            Path back = inbox.resolve(".failed/paused.mp4");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(back));
            assertEquals(bytes.length + more.length, Files.size(back), "the writer's last bytes are in its file");
            assertTrue(Files.readString(inbox.resolve(".failed/paused.mp4.error.txt"))
                    .contains("changed after the inbox took it"));
            assertTrue(Files.exists(app.dataDir().resolve("outbox/paused-h264-720p.mp4")));

            Files.move(Files.copy(clip, inbox.resolve(".whole.mp4")), inbox.resolve("whole.mp4")); // whole, at once
            String whole = awaitJob(app.http(), "whole.mp4", "queued");
            succeededElsewhere(app, whole);
            Path done = inbox.resolve(".done/whole.mp4");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(done));
            assertArrayEquals(bytes, Files.readAllBytes(done));
            assertFalse(Files.exists(app.dataDir().resolve(whole).resolve("input.mp4")), "its copy is gone");
            try (Stream<Path> left = Files.walk(inbox.resolve(".processing"))) {
                assertEquals(List.of(inbox.resolve(".processing")), left.toList(), "nothing left kept");
            }
        } finally {
            PathUtils.deleteDirectory(inbox);
        }
    }

    @Test
    void a_cancelled_inbox_job_gives_its_original_back_in_failed() throws Exception {
        // No worker in this process: the job stays queued until cancelled.
        TestApp app = api; // the class's API: no worker runs a job in it
        Http http = app.http();
        drop(app.inbox(), "changed-my-mind.mp4");
        String id = awaitJob(http, "changed-my-mind.mp4", "queued");

        assertEquals(200, http.delete("/jobs/" + id).status());

        Path original = app.inbox().resolve(".failed/changed-my-mind.mp4");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(original.resolveSibling(
                "changed-my-mind.mp4.error.txt")));
        assertArrayEquals(Files.readAllBytes(clip), Files.readAllBytes(original));
        assertTrue(Files.readString(original.resolveSibling("changed-my-mind.mp4.error.txt")).contains("cancelled"));
    }

    @Test
    void originals_are_deleted_only_when_the_setting_asks_for_it() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("deleted/data"), Map.of(
                "transcoder.inbox-delete-originals", "true"))) {
            Http http = app.http();
            Path dropped = drop(app.inbox(), "throwaway.mp4");

            String id = awaitJob(http, "throwaway.mp4", "succeeded");

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.notExists(app.dataDir().resolve(id)
                    .resolve("input.mp4")));
            assertTrue(Files.notExists(dropped));
            assertTrue(Files.notExists(app.inbox().resolve(".done/throwaway.mp4")));
            assertTrue(Files.exists(app.dataDir().resolve("outbox/throwaway-h264-720p.mp4")));
        }
    }
}
