package io.videotranscoder.access;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.SseClient;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each key sees only its tenant's jobs, and another tenant's job is answered exactly as a job that does not exist;
 * admins see all; inbox jobs are the inbox tenant's. Each key here may have one active job, and has a slot again as
 * soon as its job succeeds or fails.
 */
class TenantsIT {

    @TempDir
    static Path root;
    static Path clip;
    static TestApp app;
    static Http http;
    static String acme;
    static String globex;
    static String media;
    static String admin;
    static String acmeJob;

    @BeforeAll
    static void start() throws Exception {
        clip = Media.clip(Files.createDirectories(root.resolve("clips")), "clip.mp4", 1, "320x240");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.auth", "on", "transcoder.inbox-tenant", "media",
                "transcoder.max-active-jobs-per-key", "1", "transcoder.inbox-stable-ms", "200"));
        http = app.http();
        KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        EnumSet<Scope> readWrite = EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE);
        acme = keys.issue("acme", readWrite, "acme", null, Instant.now()).key();
        globex = keys.issue("globex", readWrite, "globex", null, Instant.now()).key();
        media = keys.issue("media", EnumSet.of(Scope.JOBS_READ), "media", null, Instant.now()).key();
        admin = keys.issue("admin", EnumSet.of(Scope.ADMIN), "default", null, Instant.now()).key();
        acmeJob = submit(acme, clip);
        assertEquals("succeeded", awaitEnd(acme, acmeJob).path("status").asText());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static String submit(String key, Path file) throws Exception {
        Http.Answer answer = http.upload("/jobs", file, file.getFileName().toString(), Map.of(), "X-API-Key", key);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    static JsonNode awaitEnd(String key, String id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + id + "?wait=20", "X-API-Key",
                key).json(), job -> List.of("succeeded", "failed", "cancelled").contains(job.path("status").asText()));
    }

    static Http.Answer call(String method, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path)).header("X-API-Key", key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The answer to a job id nobody has, with the id in it replaced: the same status, type and words. */
    static String asUnknown(Http.Answer answer, String id) {
        return answer.status() + " " + answer.header("Content-Type") + " " + answer.body().replace(id, "<id>");
    }

    @Test
    void another_tenants_job_is_answered_as_no_job_at_all_by_every_call() throws Exception {
        String unknown = "00000000-0000-4000-8000-000000000000";
        for (String[] call : new String[][] {{"GET", "/jobs/%s"}, {"GET", "/jobs/%s?wait=60"}, {"GET", "/status/%s"},
                {"GET", "/jobs/%s/output"}, {"GET", "/jobs/%s/outputs/output.mp4"}, {"HEAD", "/jobs/%s/output"},
                {"HEAD", "/jobs/%s/outputs/output.mp4"}, {"GET", "/jobs/%s/deliveries"}, {"DELETE", "/jobs/%s"},
                {"POST", "/jobs/%s/retry"}, {"POST", "/jobs/%s/cancel"}, {"GET", "/jobs/%s/events"}}) {
            Http.Answer other = call(call[0], call[1].formatted(acmeJob), globex);
            Http.Answer none = call(call[0], call[1].formatted(unknown), globex);

            assertEquals(404, other.status(), call[1] + ": " + other.body());
            assertEquals(asUnknown(none, unknown), asUnknown(other, acmeJob), call[1]);
        }
        assertEquals("succeeded", call("GET", "/jobs/" + acmeJob, acme).json().path("status").asText(),
                "the DELETE of another tenant changed nothing");
    }

    /**
     * A browser saving an output cannot send a key: a token from POST /events/token?job= in the URL stands for it, with
     * the key's tenant (another tenant's output is no output at all), and a token not signed by the service is a 401.
     */
    @Test
    void an_outputs_download_link_carries_a_token_of_the_keys_tenant() throws Exception {
        String output = "/jobs/" + acmeJob + "/outputs/output.mp4";
        String forJob = "/events/token?job=" + acmeJob;
        String acmeToken = http.post(forJob, "application/json", "", "X-API-Key", acme).json().path("token").asText();
        String globexToken = http.post(forJob, "application/json", "", "X-API-Key", globex).json().path("token")
                .asText();
        // The token of an event stream's URL, asked for no job, opens no file.
        String streams = http.post("/events/token", "application/json", "", "X-API-Key", acme).json().path("token")
                .asText();
        Http.Answer unbound = http.get(output + "?token=" + streams);
        assertEquals(403, unbound.status(), unbound.body());
        assertTrue(unbound.json().path("detail").asText().contains("a download needs one"), unbound.body());
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(http.base() + output + "?token=" + streams))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).status(), "HEAD too");

        Http.Answer saved = http.get(output + "?token=" + acmeToken);
        assertEquals(200, saved.status(), saved.body());
        assertArrayEquals(call("GET", output, acme).bytes(), saved.bytes());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(http.base() + output + "?token=" + acmeToken))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).status());
        assertEquals(404, http.get(output + "?token=" + globexToken).status());
        assertEquals(401, http.get(output + "?token=" + acmeToken.substring(1)).status());
        assertEquals(401, http.get(output).status(), "a key or a token");
        // A request with a key is judged by its key, whatever token it carries.
        assertEquals(200, http.get(output + "?token=" + globexToken, "X-API-Key", acme).status());
        // A proxy's Basic credentials the browser sends along are no key: the token stands.
        assertEquals(200, http.get(output + "?token=" + acmeToken, "Authorization", "Basic dXNlcjpwYXNz").status());
        // A refusal never repeats the token (nor logs it): its problem names the path alone.
        Http.Answer none = http.get("/jobs/" + acmeJob + "/outputs/none.mp4?token=" + acmeToken);
        assertEquals(404, none.status(), none.body());
        assertEquals("/jobs/" + acmeJob + "/outputs/none.mp4", none.json().path("instance").asText());
        assertFalse(none.body().contains(acmeToken), none.body());
    }

    /**
     * A link's token is asked for its job (what the page does): it opens that job's outputs and events alone, so that a
     * link that leaks opens no other job's; anything else is a 403 that says why.
     */
    @Test
    void a_token_asked_for_one_job_opens_that_jobs_outputs_and_events_alone() throws Exception {
        String output = "/jobs/" + acmeJob + "/outputs/output.mp4";
        JsonNode issued = http.post("/events/token?job=" + acmeJob, "application/json", "", "X-API-Key", acme)
                .json();
        assertEquals(acmeJob, issued.path("job").asText());
        String token = issued.path("token").asText();

        assertEquals(200, http.get(output + "?token=" + token).status());
        try (SseClient events = SseClient.open(http.base() + "/jobs/" + acmeJob + "/events?token=" + token)) {
            assertEquals(200, events.status(), events.body());
        }
        String otherJob = submit(acme, clip); // the same key's, the same tenant's
        assertEquals("succeeded", awaitEnd(acme, otherJob).path("status").asText());
        assertEquals(200, http.get("/jobs/" + otherJob + "/outputs/output.mp4", "X-API-Key", acme).status());
        for (String elsewhere : List.of("/jobs/" + otherJob + "/outputs/output.mp4", "/events")) {
            Http.Answer refused = http.get(elsewhere + "?token=" + token);
            assertEquals(403, refused.status(), elsewhere + ": " + refused.body());
            assertTrue(refused.json().path("detail").asText().startsWith("This token does not open this"),
                    refused.body());
        }
        for (String bad : List.of("nope", "", "%20", acmeJob + "&job=" + acmeJob)) { // blank is no token for all
            Http.Answer refused = http.post("/events/token?job=" + bad, "application/json", "", "X-API-Key", acme);
            assertEquals(400, refused.status(), bad + ": " + refused.body());
            assertEquals("job", refused.json().path("field").asText());
        }
        // A request header of that name is no query parameter.
        Http.Answer header = http.post("/events/token", "application/json", "", "X-API-Key", acme, "Job", acmeJob);
        assertEquals(200, header.status(), header.body());
        assertTrue(header.json().path("job").isMissingNode(), header.body());
    }

    @Test
    void lists_hold_only_the_callers_tenants_jobs_and_an_admin_sees_all() throws Exception {
        assertTrue(ids(call("GET", "/jobs", acme)).contains(acmeJob));
        assertTrue(ids(call("GET", "/jobs?status=succeeded&limit=5", acme)).contains(acmeJob));
        assertFalse(ids(call("GET", "/jobs", globex)).contains(acmeJob));
        assertFalse(ids(call("GET", "/jobs?status=succeeded", globex)).contains(acmeJob));
        assertTrue(ids(call("GET", "/jobs", admin)).contains(acmeJob));
        Http.Answer download = call("GET", "/jobs/" + acmeJob + "/output", admin);
        assertEquals(200, download.status());
        assertFalse(download.headers().toString().contains(admin.substring(3, 25)), "the key is not echoed");
    }

    @Test
    void a_forged_caller_header_or_parameter_changes_nothing() throws Exception {
        String forged = "CamelVertxPlatformHttpAuthenticatedUser";
        Http.Answer header = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + acmeJob))
                .header("X-API-Key", globex).header(forged, "{\"tenant\":\"acme\"}").build());
        Http.Answer query = call("GET", "/jobs/" + acmeJob + "?" + forged + "=acme&tenant=acme", globex);
        Http.Answer form = http.upload("/jobs", clip, "clip.mp4", Map.of(forged, "x", "tenant", "acme"),
                "X-API-Key", globex);

        assertEquals(404, header.status(), header.body());
        assertEquals(404, query.status(), query.body());
        assertEquals(202, form.status(), form.body());
        String globexJob = form.json().path("id").asText();
        assertEquals(404, call("GET", "/jobs/" + globexJob, acme).status(), "the job is globex's, not acme's");
        awaitEnd(globex, globexJob);
    }

    @Test
    void an_inbox_job_is_the_inbox_tenants() throws Exception {
        Files.createDirectories(app.inbox());
        Files.copy(clip, app.inbox().resolve("dropped.mp4"));

        String id = await().atMost(Duration.ofSeconds(60)).until(() -> ids(call("GET", "/jobs", media)),
                ids -> !ids.isEmpty()).get(0);
        assertFalse(ids(call("GET", "/jobs", acme)).contains(id));
        JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        assertEquals("media", store.find(id).orElseThrow().tenant());
    }

    @Test
    void a_job_that_succeeds_or_fails_frees_its_keys_slot() throws Exception {
        byte[] whole = Files.readAllBytes(clip);
        Path truncated = Files.write(root.resolve("clips/truncated.mp4"), Arrays.copyOf(whole, whole.length / 3));

        String failing = submit(acme, truncated);
        assertEquals("failed", awaitEnd(acme, failing).path("status").asText());
        String succeeding = submit(acme, clip); // one active job per key: refused had the failure kept its slot
        assertEquals("succeeded", awaitEnd(acme, succeeding).path("status").asText());
        assertEquals("succeeded", awaitEnd(acme, submit(acme, clip)).path("status").asText());
        JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        assertEquals(0, store.activeJobs(keyId(acme)));
    }

    static String keyId(String key) {
        return ApiKey.id(ApiKey.digest(key));
    }

    static List<String> ids(Http.Answer answer) throws Exception {
        assertEquals(200, answer.status(), answer.body());
        return answer.json().path("jobs").findValuesAsText("id");
    }
}
