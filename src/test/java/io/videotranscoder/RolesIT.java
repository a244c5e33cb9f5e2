package io.videotranscoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One jar, two roles: an API that only queues, and a worker that only runs, sharing Redis and the data root. */
class RolesIT {

    @TempDir
    Path root;

    @Test
    void an_api_queues_and_a_separate_worker_runs_the_job() throws Exception {
        Path data = root.resolve("data");
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "640x360");
        try (TestApp api = TestApp.start(data, Map.of("transcoder.role", "api"))) {
            assertNull(api.context().getRoute("worker"), "the api role runs no worker");
            Http http = api.http();
            String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            // Long enough for a worker to take it, had one been running.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> http.get("/jobs/" + id).json().path("status").asText().equals("queued"));

            String redisUrl = api.context().hasService(EmbeddedRedis.class).url();
            try (TestApp worker = TestApp.start(data, Map.of("transcoder.role", "worker",
                    "transcoder.redis-url", redisUrl, "transcoder.worker-name", "worker-1"))) {
                assertNull(worker.context().getRoute("create-job"), "the worker role serves no API");
                assertNotNull(worker.context().getRoute("worker"));

                JsonNode job = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> http.get("/jobs/" + id).json(), j -> j.path("status").asText().equals("succeeded"));
                assertEquals("worker-1", job.path("worker").asText());
                Path output = http.download("/jobs/" + id + "/output", root.resolve("out.mp4"));
                assertEquals("h264,1280,720", Media.videoStream(output));
            }
        }
    }
}
