package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.S3Server;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Services that share Redis and the object store and nothing else, each with a folder of its own: the packaged jar as
 * a worker, killed (SIGKILL) while it uploads an output, and the API and the worker that then completes the job in the
 * test's JVM (a start of the jar is seconds of CPU). No partial output is ever listed on the job.
 */
class ObjectStorageProcessesIT {

    private static final String PREFIX = "jobs/";
    /** Short, so that the second worker takes the job soon after the kill. */
    private static final long LEASE_MS = 6000;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(2);
    @TempDir
    Path root;

    @Test
    void a_worker_killed_while_it_uploads_outputs_leaves_none_listed_and_another_completes_the_job() throws Exception {
        try (S3Server s3 = S3Server.start(root.resolve("s3"))) {
            Map<String, String> shared = new HashMap<>(s3.properties(PREFIX));
            shared.putAll(Map.of("transcoder.redis-url", REDIS.url(), "transcoder.lease", LEASE_MS + "ms"));
            Map<String, String> env = new HashMap<>(s3.environment(PREFIX));
            env.putAll(Map.of("REDIS_URL", REDIS.url(), "TRANSCODER_LEASE_MS", Long.toString(LEASE_MS),
                    "TRANSCODER_WORKER_NAME", "w1"));
            s3.holdUploads(key -> key.startsWith(PREFIX) && !key.contains("/input."));
            try (TestApp api = TestApp.start(root.resolve("api/videos"), role(shared, "api", "api"));
                 JarProcess first = JarProcess.startWorker(root.resolve("w1"), root.resolve("w1.log"), env)) {
                Http http = api.http();
                Path clip = Media.clip(root, "clip.mp4", 2, "320x240");
                String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
                List<String> wrong = new CopyOnWriteArrayList<>();
                ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
                watcher.scheduleWithFixedDelay(() -> check(http, id, wrong), 0, 50, TimeUnit.MILLISECONDS);

                assertTrue(s3.awaitHeldUpload(120), "the first worker uploads an output:\n" + first.logTail());
                JsonNode uploading = http.get("/jobs/" + id).json();
                assertEquals("running", uploading.path("status").asText(), uploading.toString());
                assertEquals(0, uploading.path("outputs").size(), uploading.toString());
                first.process().destroyForcibly();
                first.process().waitFor();
                s3.release(); // the killed worker's request goes on at the server, or breaks

                try (TestApp second = TestApp.start(root.resolve("w2/videos"), role(shared, "worker", "w2"))) {
                    JsonNode done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                            .until(() -> http.get("/jobs/" + id + "?wait=10").json(),
                                    j -> j.path("status").asText().matches("succeeded|failed|cancelled"));
                    watcher.shutdown();
                    assertTrue(watcher.awaitTermination(10, TimeUnit.SECONDS));
                    assertEquals("succeeded", done.path("status").asText(), done.toString());
                    assertEquals("w2", done.path("worker").asText());
                    assertEquals(2, done.path("attempts").asInt());
                    assertEquals(List.of(), wrong, "never a partial output listed");

                    // What the job lists plays, and is all that is left beside the input: the first attempt's is gone.
                    Path output = http.download(done.path("outputs").get(0).path("url").asText(),
                            root.resolve("output.mp4"));
                    assertTrue(Media.videoStream(output).startsWith("h264,"), output.toString());
                    List<String> keys = await().atMost(Duration.ofSeconds(10))
                            .until(() -> s3.keys(PREFIX + id + "/"), k -> k.size() == 2);
                    assertTrue(keys.contains(PREFIX + id + "/input.mp4"), keys.toString());
                    byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(S3Server.BUCKET)
                            .key(keys.stream().filter(k -> k.endsWith("/output.mp4")).findFirst().orElseThrow()))
                            .asByteArray();
                    assertArrayEquals(stored, Files.readAllBytes(output));

                    // Nothing of the job is on the API's disk or in the worker's scratch folder: only in the store.
                    assertFalse(Files.exists(root.resolve("api/videos").resolve(id)), "the API keeps no copy");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> !Files.exists(root.resolve("w2/videos/.scratch").resolve(id)));
                    assertFalse(Files.exists(root.resolve("w2/videos").resolve(id)));

                    assertEquals(204, http.delete("/jobs/" + id).status());
                    assertEquals(List.of(), s3.keys(PREFIX + id + "/"), "deleting the job removed its objects");
                }
            }
        }
    }

    private static Map<String, String> role(Map<String, String> shared, String role, String name) {
        Map<String, String> settings = new HashMap<>(shared);
        settings.put("transcoder.role", role);
        settings.put("transcoder.worker-name", name);
        return settings;
    }

    /** Records a view of the job that lists an output not stored whole, or lists one before it succeeded. */
    private static void check(Http http, String id, List<String> wrong) {
        try {
            JsonNode job = http.get("/jobs/" + id).json();
            for (JsonNode output : job.path("outputs")) {
                if (!job.path("status").asText().equals("succeeded")) {
                    wrong.add("listed while " + job.path("status").asText() + ": " + job);
                }
                Http.Answer first = http.get(output.path("url").asText(), "Range", "bytes=0-0");
                if (first.status() != 206 || !first.header("Content-Range").endsWith("/" + output.path("size").asLong())) {
                    wrong.add("not whole: " + output + " answered " + first.status());
                }
            }
        } catch (Exception e) {
            wrong.add(e.toString());
        }
    }
}
