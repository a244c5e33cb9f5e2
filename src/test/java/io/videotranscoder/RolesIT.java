package io.videotranscoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One jar, two roles: an API that only queues, and a worker that only runs, sharing Redis and the data root. The
 * worker starts short of disk space, and takes the job once there is room; a split job left by its only worker is
 * cancelled by the API alone.
 */
class RolesIT {

    @TempDir
    Path root;

    @Test
    void an_api_queues_and_a_separate_worker_runs_the_job_once_it_has_room() throws Exception {
        Path data = root.resolve("data");
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "640x360");
        try (TestApp api = TestApp.start(data, Map.of("transcoder.role", "api"))) {
            assertNull(api.context().getRoute("worker"), "the api role runs no worker");
            assertNotNull(api.context().getRoute("webhook-send"), "the api role sends the webhooks");
            Http http = api.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            // A wait on a job no one runs ends when its time is up, the job still queued.
            long start = System.nanoTime();
            assertEquals("queued", http.get("/jobs/" + id + "?wait=1").json().path("status").asText());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(950).toNanos(), "the answer waited");
            // This one is asked before the worker exists: the end, stored by another process, must wake it.
            CompletableFuture<Http.Answer> waited = http.getAsync("/jobs/" + id + "?wait=25");

            // The worker may hold 72 MiB and keeps 64 free: with 32 MiB of the data root taken, it has too little.
            Path taken = Files.write(data.resolve("taken"), new byte[32 << 20]);
            String redisUrl = api.context().hasService(EmbeddedRedis.class).url();
            try (LogCapture log = new LogCapture();
                 TestApp worker = TestApp.start(data, Map.of("transcoder.role", "worker",
                    "transcoder.redis-url", redisUrl, "transcoder.worker-name", "worker-1",
                    "transcoder.data-limit-bytes", Long.toString(72 << 20),
                    "transcoder.min-free-bytes", Long.toString(64 << 20)))) {
                assertNull(worker.context().getRoute("create-job"), "the worker role serves no API");
                assertNull(worker.context().getRoute("webhook-send"), "a worker makes no outbound call");
                assertNotNull(worker.context().getRoute("worker"));

                // Short of room, it leaves the job queued (many claim intervals pass), rather than failing it.
                await().atMost(Duration.ofSeconds(10)).until(log::text, t -> t.contains("Taking no entries from")
                        && t.contains("MiB free for the work, under the 64 MiB kept free: they stay queued"));
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                        .until(() -> http.get("/jobs/" + id).json().path("status").asText(), "queued"::equals);
                Files.delete(taken);

                JsonNode job = waited.get(30, TimeUnit.SECONDS).json();
                assertEquals("succeeded", job.path("status").asText(), job.toString());
                assertEquals("worker-1", job.path("worker").asText());
                Path output = http.download("/jobs/" + id + "/output", root.resolve("out.mp4"));
                assertEquals("h264,1280,720", Media.videoStream(output));
                assertTrue(log.text().contains("jobs again"), "it said it takes jobs again");
            }
        }
    }

    /**
     * The only worker stops while a split job runs: no worker holds the job, and its cancel is carried out without
     * one, rather than waiting for a worker to come. At the request (200) where the worker finished its part before it
     * stopped, so that none is delivered; else by the API's housekeeping, once the part the worker handed back has gone
     * unrenewed for a lease (202, then cancelled). JobControlTest holds each way to its own case.
     */
    @Test
    void a_split_job_its_only_worker_left_is_cancelled_without_a_worker() throws Exception {
        Path data = root.resolve("data");
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 12, "640x360");
        try (TestApp api = TestApp.start(data, Map.of("transcoder.role", "api", "transcoder.lease", "2s",
                "transcoder.housekeeping-period", "1s", "transcoder.housekeeping-delay", "0s"))) {
            Http http = api.http();
            String id = http.upload("/jobs", clip, "long.mp4", Map.of()).json().path("id").asText();
            try (TestApp worker = TestApp.start(data, Map.of("transcoder.role", "worker",
                    "transcoder.redis-url", api.context().hasService(EmbeddedRedis.class).url(),
                    "transcoder.worker-name", "worker-1", "transcoder.split-min-seconds", "5",
                    "transcoder.segment-seconds", "3", "transcoder.lease", "2s"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + id).json(),
                        j -> j.path("segments").path("done").asInt() >= 1);
            }
            JsonNode left = http.get("/jobs/" + id).json();
            assertEquals("running", left.path("status").asText(), left.toString());
            assertTrue(left.path("segments").path("done").asInt() < 4, left.toString());

            Http.Answer asked = http.delete("/jobs/" + id);
            JsonNode cancelled = http.get("/jobs/" + id + "?wait=20").json();

            assertTrue(asked.status() == 200 || asked.status() == 202, asked.body());
            assertEquals("cancelled", cancelled.path("status").asText(), cancelled.toString());
            assertFalse(Files.exists(data.resolve(id)), "its input and parts are removed");
            assertTrue(api.management().get("/observe/metrics").body().lines().anyMatch(l -> l.startsWith(
                    "transcoder_jobs_finished_total{") && l.contains("outcome=\"cancelled\"") && l.endsWith(" 1.0")),
                    "counted once");
        }
    }
}
