package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.HlsChecks;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
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

/**
 * Split jobs with their files in a real S3 server (S3Proxy): segments and audio travel as objects, then go; a ladder's
 * outputs are stored and served as a single pass's.
 */
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
            // Two jobs and two parts at once: parts of one job run side by side on this worker, sharing its copies.
            settings.put("transcoder.concurrency", "2");
            // h264-small: h264-720p in a 320x240 box at x264's veryfast; hls-ladder as shipped.
            settings.put("transcoder.presets-dir",
                    Path.of(getClass().getResource("/split-presets").toURI()).toString());
            try (LogCapture log = new LogCapture(); TestApp app = TestApp.start(root.resolve("data"), settings)) {
                Http http = app.http();
                String id = http.upload("/jobs", clip, "long.mp4", Map.of("preset", "h264-small")).json().path("id")
                        .asText();
                String ladder = http.upload("/jobs", clip, "long.mp4", Map.of("preset", "hls-ladder")).json()
                        .path("id").asText();

                JsonNode job = awaitEnd(http, id);

                assertEquals("succeeded", job.path("status").asText(), job.toString());
                assertEquals(4, job.path("segments").path("done").asInt(), job.toString());
                Path output = http.download("/jobs/" + id + "/output", root.resolve("output.mp4"));
                MediaChecks.assertEquivalent(clip, output, List.of(0.0, 3.0, 6.0, 9.0));
                assertTrue(s3.keys(PREFIX + id + "/").stream().noneMatch(key -> key.contains("/parts/")),
                        "no part is left in the store: " + s3.keys(PREFIX + id + "/"));
                await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(root.resolve("scratch").resolve(id)));
                assertEquals(List.of(), problems(log), "each part ran once, and nothing went wrong on the way");

                // A ladder (one rendition of this source, 6 s HLS segments): split in two, its files downloaded.
                JsonNode hls = awaitEnd(http, ladder);
                assertEquals("succeeded", hls.path("status").asText(), hls.toString());
                assertEquals(2, hls.path("segments").path("total").asInt(), hls.toString());
                Path files = Files.createDirectories(root.resolve("ladder"));
                for (JsonNode file : hls.path("outputs")) {
                    http.download(file.path("url").asText(), files.resolve(file.path("name").asText()));
                }
                HlsChecks.assertRenditionsEquivalent(clip, files.resolve("master.m3u8"), 1, 6);
                assertEquals("outputs/master.m3u8", http.get("/jobs/" + ladder + "/output").header("Location"),
                        "the main output is answered at the master playlist's own URL");
                assertTrue(s3.keys(PREFIX + ladder + "/").stream().noneMatch(key -> key.contains("/parts/")));
            }
        }
    }

    /** The lines the service logged at WARN or ERROR. */
    private static List<String> problems(LogCapture log) {
        return log.text().lines().filter(line -> line.matches("\\S+ (WARN|ERROR) .*")).toList();
    }

    private static JsonNode awaitEnd(Http http, String id) {
        return await().atMost(Duration.ofSeconds(180)).until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                j -> !j.path("status").asText().matches("queued|running"));
    }
}
