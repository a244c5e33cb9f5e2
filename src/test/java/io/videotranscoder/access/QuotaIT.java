package io.videotranscoder.access;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.http.JobWaits;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.PacedUpload;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quota of active jobs per key, counted in Redis: an API without workers, so that jobs stay queued for as long as
 * the test needs.
 */
class QuotaIT {

    @TempDir
    Path root;

    @Test
    void a_key_over_its_quota_gets_429_with_retry_after_until_one_of_its_jobs_ends() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api",
                "transcoder.max-active-jobs-per-key", "2", "transcoder.max-waits-per-key", "1",
                "transcoder.max-uploads-per-key", "1"))) {
            Http http = app.http();
            KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
            EnumSet<Scope> readWrite = EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE);
            KeyStore.Issued first = keys.issue("first", readWrite, "acme", null, Instant.now());
            String key = first.key();
            String other = keys.issue("second", readWrite, "acme", null, Instant.now()).key();
            String stranger = keys.issue("stranger", readWrite, "globex", null, Instant.now()).key();

            // One upload a key at once: its second is refused before its body is read; another key's is taken.
            try (PacedUpload slow = new PacedUpload(URI.create(http.base()).getPort(), "/jobs", "slow.mp4",
                    1 << 20, "X-API-Key", key)) {
                slow.send(new byte[1024]);
                // Its part is being written once the server let it through (a file under .uploads).
                await().atMost(Duration.ofSeconds(10)).until(() -> uploading(app.dataDir()));
                Http.Answer busy = http.upload("/jobs", clip, "a.mp4", Map.of(), "X-API-Key", key);
                assertEquals(429, busy.status(), busy.body());
                assertEquals("5", busy.header("Retry-After"));
                assertTrue(busy.json().path("detail").asText().contains("TRANSCODER_MAX_UPLOADS_PER_KEY"));
                assertEquals(0, jobFolders(app.dataDir()));
                accepted(http.upload("/jobs", clip, "other.mp4", Map.of(), "X-API-Key", other));
            }
            // Its slot is given back once the slow one is gone (the server hears the connection close).
            String a = accepted(await().atMost(Duration.ofSeconds(10)).until(() -> http.upload("/jobs", clip, "a.mp4",
                    Map.of(), "X-API-Key", key), answer -> answer.status() != 429));
            accepted(http.upload("/transcode", clip, "b.mp4", Map.of(), "X-API-Key", key));
            Http.Answer over = http.upload("/jobs", clip, "c.mp4", Map.of(), "X-API-Key", key);

            assertEquals(429, over.status(), over.body());
            assertEquals("application/problem+json", over.header("Content-Type"));
            assertEquals("10", over.header("Retry-After"));
            assertTrue(over.json().path("detail").asText().contains("TRANSCODER_MAX_ACTIVE_JOBS_PER_KEY"));
            assertEquals(429, http.upload("/transcode", clip, "c.mp4", Map.of(), "X-API-Key", key).status());
            assertEquals(3, jobFolders(app.dataDir()), "a refused upload leaves no job behind");
            accepted(http.upload("/jobs", clip, "d.mp4", Map.of(), "X-API-Key", other)); // the quota is per key

            // Another tenant's queued job: a wait on it is answered at once, as for no job (else 60 s, past the
            // client's 30 s timeout).
            assertEquals(404, http.get("/jobs/" + a + "?wait=60", "X-API-Key", stranger).status());

            // One wait a key here: the key's second is answered at once, as without wait; another key's is held.
            JobWaits waits = app.context().getRegistry().lookupByNameAndType("jobWaits", JobWaits.class);
            CompletableFuture<Http.Answer> held = CompletableFuture.supplyAsync(() -> get(http, "/jobs/" + a
                    + "?wait=20", key));
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting() == 1);
            Http.Answer atOnce = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> http.get("/jobs/" + a
                    + "?wait=20", "X-API-Key", key));
            assertEquals("queued", atOnce.json().path("status").asText());
            CompletableFuture<Http.Answer> othersHeld = CompletableFuture.supplyAsync(() -> get(http, "/jobs/" + a
                    + "?wait=20", other));
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waiting() == 2);
            assertFalse(held.isDone() || othersHeld.isDone());

            assertEquals(200, delete(http, "/jobs/" + a, key).status(), "a queued job cancelled");
            assertEquals("cancelled", held.get(10, TimeUnit.SECONDS).json().path("status").asText());
            assertEquals("cancelled", othersHeld.get(10, TimeUnit.SECONDS).json().path("status").asText());
            assertEquals(1, store.activeJobs(first.record().id()));
            assertEquals(204, delete(http, "/jobs/" + a, key).status(), "the cancelled job removed");
            assertEquals(1, store.activeJobs(first.record().id()), "its slot was given back once, not twice");
            accepted(http.upload("/jobs", clip, "e.mp4", Map.of(), "X-API-Key", key));

            String metrics = app.management().get("/observe/metrics").body();
            assertTrue(metrics.contains("transcoder_quota_refusals_total{camelContext=\"video-transcoder\"} 2.0"),
                    metrics.lines().filter(line -> line.contains("quota")).toList().toString());
        }
    }

    @Test
    void a_quota_of_zero_is_no_quota() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "320x240");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.role", "api",
                "transcoder.max-active-jobs-per-key", "0"))) {
            KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            String key = keys.issue("k", EnumSet.of(Scope.JOBS_WRITE), "acme", null, Instant.now()).key();
            for (int i = 0; i < 3; i++) {
                accepted(app.http().upload("/jobs", clip, "clip.mp4", Map.of(), "X-API-Key", key));
            }
        }
    }

    private static String accepted(Http.Answer answer) throws Exception {
        assertEquals(202, answer.status(), answer.body());
        JsonNode body = answer.json();
        return body.has("id") ? body.path("id").asText() : body.path("job_id").asText();
    }

    private static Http.Answer delete(Http http, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path)).header("X-API-Key", key).DELETE()
                .build());
    }

    /** A GET by {@code key}, for a thread of its own. */
    private static Http.Answer get(Http http, String path, String key) {
        try {
            return http.get(path, "X-API-Key", key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean uploading(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve(".uploads"))) {
            return files.findAny().isPresent();
        } catch (NoSuchFileException notYet) {
            return false;
        }
    }

    private static long jobFolders(Path dataDir) throws Exception {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(p -> p.getFileName().toString().matches("[0-9a-f-]{36}")).count();
        }
    }
}
