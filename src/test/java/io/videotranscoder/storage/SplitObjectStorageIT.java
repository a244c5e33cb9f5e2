package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.S3Server;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A split job with its files in a real S3 server (S3Proxy): segments and audio travel as objects, then go. */
class SplitObjectStorageIT {

    private static final String PREFIX = "videos/";

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(4);
    @TempDir
    Path root;

    @Test
    void segments_travel_through_the_object_store_and_are_removed_after_the_join() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 12, "320x240");
        try (S3Server s3 = S3Server.start(root.resolve("s3"))) {
            Map<String, String> settings = new HashMap<>(s3.properties(PREFIX));
            settings.put("transcoder.scratch-dir", root.resolve("scratch").toString());
            settings.put("transcoder.redis-url", REDIS.url());
            settings.put("transcoder.split-min-seconds", "5");
            settings.put("transcoder.segment-seconds", "3");
            try (TestApp app = TestApp.start(root.resolve("data"), settings)) {
                Http http = app.http();
                String id = http.upload("/jobs", clip, "long.mp4", Map.of()).json().path("id").asText();

                JsonNode job = await().atMost(Duration.ofSeconds(180))
                        .until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                                j -> !j.path("status").asText().matches("queued|running"));

                assertEquals("succeeded", job.path("status").asText(), job.toString());
                assertEquals(4, job.path("segments").path("done").asInt(), job.toString());
                Path output = http.download("/jobs/" + id + "/output", root.resolve("output.mp4"));
                MediaChecks.assertEquivalent(clip, output, List.of(0.0, 3.0, 6.0, 9.0));
                assertTrue(s3.keys(PREFIX + id + "/").stream().noneMatch(key -> key.contains("/parts/")),
                        "no part is left in the store: " + s3.keys(PREFIX + id + "/"));
                await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(root.resolve("scratch").resolve(id)));
            }
        }
    }
}
