package io.videotranscoder.http.tus;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;

import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resumable uploads behind API keys: a key is needed, and an upload is its tenant's, as a job is. */
class TusAccessIT {

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static byte[] clip;
    static String acme;
    static String globex;
    static String capped;
    static String acmeId;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        clip = Files.readAllBytes(Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "320x240"));
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.auth", "on",
                "transcoder.max-open-uploads-per-key", "2", "transcoder.upload-max-age", "30m"));
        http = app.http();
        KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        EnumSet<Scope> readWrite = EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE);
        KeyStore.Issued acmeKey = keys.issue("acme", readWrite, "acme", null, Instant.now());
        acme = acmeKey.key();
        acmeId = acmeKey.record().id();
        admin = keys.issue("admin", EnumSet.of(Scope.ADMIN), "default", null, Instant.now()).key();
        globex = keys.issue("globex", readWrite, "globex", null, Instant.now()).key();
        capped = keys.issue("capped", readWrite, "acme", null, Instant.now()).key();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void an_upload_needs_a_key_and_is_seen_by_its_tenant_only() throws Exception {
        Http.Answer refused = send(create(), null);
        assertEquals(401, refused.status(), "no key");
        assertEquals("1.0.0", refused.header("Tus-Resumable"), "on every answer but OPTIONS', a refusal's too");
        Http.Answer created = send(create(), acme);
        assertEquals(201, created.status(), created.body());
        String url = http.base() + "/uploads/" + created.header("Location");

        assertEquals(404, send(head(url), globex).status(), "another tenant's upload is none");
        assertEquals(404, send(patch(url, 0), globex).status());
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(url)).DELETE(), globex).status());
        assertEquals("0", send(head(url), acme).header("Upload-Offset"), "nothing written by the others");

        Http.Answer done = send(patch(url, 0), acme);
        assertEquals(204, done.status(), done.body());
        String job = done.header("Job-Id");
        assertNotNull(job);
        assertEquals(200, http.get("/jobs/" + job, "X-API-Key", acme).status(), "the job is the uploader's tenant's");
        assertEquals(404, http.get("/jobs/" + job, "X-API-Key", globex).status());
    }

    /**
     * An admin (who sees every tenant's uploads) sends the last bytes of another tenant's upload: the job is still the
     * uploader's tenant's and key's, not the admin's tenant's, whose keys would have read another tenant's video.
     */
    @Test
    void an_upload_finished_by_another_key_is_the_job_of_the_key_that_created_it() throws Exception {
        String url = http.base() + "/uploads/" + send(create(), acme).header("Location");

        Http.Answer done = send(patch(url, 0), admin);

        assertEquals(204, done.status(), done.body());
        String job = done.header("Job-Id");
        assertEquals(200, http.get("/jobs/" + job, "X-API-Key", acme).status(), "the uploader's tenant's");
        JobStore jobs = app.context().getRegistry().findSingleByType(JobStore.class);
        assertEquals("acme", jobs.field(job, "tenant").orElseThrow());
        assertEquals(acmeId, jobs.field(job, "owner").orElseThrow(), "on the uploader's quota");
    }

    /** Each unfinished upload holds a record and a file for a day: a key's are bounded, as its active jobs are. */
    @Test
    void a_key_may_have_two_unfinished_uploads_here_and_one_more_once_one_is_finished_or_ended() throws Exception {
        String first = http.base() + "/uploads/" + send(create(), capped).header("Location");
        String second = http.base() + "/uploads/" + send(create(), capped).header("Location");

        Http.Answer refused = send(create(), capped);
        assertEquals(429, refused.status(), refused.body());
        assertTrue(refused.body().contains("TRANSCODER_MAX_OPEN_UPLOADS_PER_KEY"), refused.body());
        assertEquals(201, send(create(), globex).status(), "another key's count is its own");

        assertEquals(204, send(HttpRequest.newBuilder(URI.create(first)).DELETE(), capped).status());
        String third = http.base() + "/uploads/" + send(create(), capped).header("Location");
        assertEquals(429, send(create(), capped).status());
        Http.Answer finished = send(patch(second, 0), capped);
        assertEquals(204, finished.status(), finished.body());
        assertNotNull(finished.header("Job-Id"));
        assertEquals(201, send(create(), capped).status(), "a finished upload no longer counts");
        assertEquals("0", send(head(third), capped).header("Upload-Offset"));
    }

    /**
     * Each PATCH moves an unfinished upload's expiry a day on, but never past its maximum age from its creation (here
     * half an hour): a key's client sending a byte a day held each of its uploads' disk for ever.
     */
    @Test
    void an_unfinished_upload_expires_at_its_maximum_age_however_often_bytes_come() throws Exception {
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String url = http.base() + "/uploads/" + send(create(), globex).header("Location");

        Http.Answer some = send(HttpRequest.newBuilder(URI.create(url)).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(clip, 1000))), globex);

        assertEquals(204, some.status(), some.body());
        Instant expires = java.time.ZonedDateTime.parse(some.header("Upload-Expires"),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertTrue(!expires.isBefore(before.plus(Duration.ofMinutes(30)))
                   && expires.isBefore(Instant.now().plus(Duration.ofMinutes(31))), some.header("Upload-Expires"));
    }

    @Test
    void the_protocols_discovery_needs_no_key_and_tells_nothing_of_uploads() throws Exception {
        for (String path : new String[] {"/uploads/", "/uploads"}) {
            Http.Answer options = send(HttpRequest.newBuilder(URI.create(http.base() + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()), null);

            assertEquals(204, options.status(), path + ": " + options.body());
            assertEquals("1.0.0", options.header("Tus-Version"));
        }
        assertEquals(401, send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()), null).status(), "only tus's discovery");
    }

    private static HttpRequest.Builder create() {
        return HttpRequest.newBuilder(URI.create(http.base() + "/uploads/")).header("Upload-Length",
                Integer.toString(clip.length)).POST(HttpRequest.BodyPublishers.noBody());
    }

    private static HttpRequest.Builder head(String url) {
        return HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody());
    }

    private static HttpRequest.Builder patch(String url, long offset) {
        return HttpRequest.newBuilder(URI.create(url)).header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(clip));
    }

    private static Http.Answer send(HttpRequest.Builder request, String key) throws Exception {
        request.header("Tus-Resumable", "1.0.0");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build());
    }
}
