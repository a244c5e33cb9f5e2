package io.videotranscoder.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Listener;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.WebhookReceiver;
import io.videotranscoder.support.WebhookReceiver.Answer;
import io.videotranscoder.support.WebhookReceiver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks sent by the whole service to a real receiver on loopback (allow-listed here), with the retry schedule
 * scaled down a thousand times; every signature is checked with the Standard Webhooks library.
 */
class WebhooksIT {

    static final String SECRET = Secrets.generate();
    /** Not ASCII: the body is signed and sent as the same UTF-8 bytes. */
    static final String PUBLIC_URL = "https://vidéos.example";

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static WebhookReceiver receiver;
    static Path clip;

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
        clip = Media.clip(root, "clip.mp4", 1, "320x240");
        app = TestApp.start(root.resolve("data"), settings());
        http = app.http();
    }

    static Map<String, String> settings() {
        return Map.of("transcoder.webhook-secret", SECRET,
                "transcoder.webhook-allowlist", "127.0.0.1", "transcoder.webhook-retry-scale", "0.001",
                "transcoder.webhook-schedule-period", "100ms", "transcoder.public-url", PUBLIC_URL,
                "transcoder.inbox-callback-url", receiver.url("/inbox"), "transcoder.inbox-stable", "300ms",
                "transcoder.watch-period", "100ms"); // FFmpeg reports its progress as often
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    /** Every test's jobs are the default tenant's: endpoints of one test must not see the next one's jobs. */
    @AfterEach
    void deleteEndpoints() throws Exception {
        for (JsonNode endpoint : http.get("/admin/webhooks").json().path("webhooks")) {
            assertEquals(204, http.delete("/admin/webhooks/" + endpoint.path("id").asText()).status());
        }
    }

    private static String submit(Map<String, String> fields) throws Exception {
        return submit(clip, fields);
    }

    private static String submit(Path file, Map<String, String> fields) throws Exception {
        Http.Answer answer = http.upload("/jobs", file, "clip.mp4", fields);
        assertEquals(202, answer.status(), answer.body());
        return answer.json().path("id").asText();
    }

    private static JsonNode register(String path, String... events) throws Exception {
        String list = List.of(events).stream().map(e -> "\"" + e + "\"").collect(Collectors.joining(","));
        Http.Answer answer = http.post("/admin/webhooks", "application/json",
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[" + list + "]}");
        assertEquals(201, answer.status(), answer.body());
        return answer.json();
    }

    private static JsonNode deliveries(String job) throws Exception {
        return http.get("/jobs/" + job + "/deliveries").json().path("deliveries");
    }

    @Test
    void a_callback_that_fails_twice_gets_each_event_again_with_the_same_id_and_body_until_it_accepts()
            throws Exception {
        receiver.on("/flaky", WebhookReceiver.failingFirst(500, 503));

        String job = submit(Map.of("callbackUrl", receiver.url("/flaky")));

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).size() == 3 && stream(deliveries(job))
                .allMatch(d -> d.path("state").asText().equals("delivered")));
        Map<String, List<Request>> byId = receiver.requests("/flaky").stream()
                .collect(Collectors.groupingBy(Request::webhookId));
        assertEquals(3, byId.size(), "job.queued, job.started, job.succeeded");
        for (List<Request> attempts : byId.values()) {
            assertEquals(List.of(500, 503, 200), attempts.stream().map(Request::answered).toList());
            assertEquals(1, attempts.stream().map(Request::body).distinct().count(), "the same body every time");
            for (Request attempt : attempts) {
                attempt.verify(SECRET);
                assertEquals("application/json", attempt.header("Content-Type"));
            }
        }
        assertEquals(List.of("job.queued", "job.started", "job.succeeded"), byId.values().stream()
                .map(a -> a.get(0).type()).sorted().toList().stream().sorted((a, b) -> order(a) - order(b)).toList());
        JsonNode succeeded = byId.values().stream().map(a -> a.get(0).json())
                .filter(b -> b.path("type").asText().equals("job.succeeded")).findFirst().orElseThrow();
        assertEquals(job, succeeded.path("data").path("id").asText());
        assertEquals("succeeded", succeeded.path("data").path("status").asText());
        assertEquals(PUBLIC_URL + "/jobs/" + job + "/outputs/output.mp4",
                succeeded.path("data").path("outputs").path(0).path("url").asText());
        assertFalse(succeeded.path("timestamp").asText().isEmpty());

        JsonNode first = deliveries(job).path(0);
        assertEquals("callback", first.path("target").asText());
        assertEquals(List.of(500, 503, 200), stream(first.path("attempts")).map(a -> a.path("statusCode").asInt())
                .toList());
        assertTrue(first.path("attempts").path(0).has("durationMs"));
        assertEquals("retry", first.path("attempts").path(0).path("outcome").asText());
        assertFalse(http.get("/jobs/" + job).body().contains("flaky"), "the callback URL is not in the job view");
    }

    @Test
    void a_failed_job_is_sent_with_its_reason() throws Exception {
        byte[] whole = java.nio.file.Files.readAllBytes(clip);
        Path truncated = java.nio.file.Files.write(root.resolve("truncated.mp4"),
                java.util.Arrays.copyOf(whole, whole.length / 3));
        Http.Answer answer = http.upload("/jobs", truncated, "truncated.mp4",
                Map.of("callbackUrl", receiver.url("/failed")));
        String job = answer.json().path("id").asText();

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/failed").stream()
                .anyMatch(r -> r.type().equals("job.failed")));
        Request failed = receiver.requests("/failed").stream().filter(r -> r.type().equals("job.failed"))
                .findFirst().orElseThrow();
        String error = http.get("/jobs/" + job).json().path("error").asText();
        assertEquals(error, failed.json().path("data").path("error").asText());
        failed.verify(SECRET);
    }

    @Test
    void inbox_jobs_get_the_configured_callback() throws Exception {
        java.nio.file.Files.copy(clip, app.inbox().resolve("dropped.mp4"));

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/inbox").stream()
                .anyMatch(r -> r.type().equals("job.succeeded")));
        for (Request request : receiver.requests("/inbox")) {
            request.verify(SECRET);
        }
    }

    @Test
    void job_progress_goes_only_to_endpoints_that_ask_and_at_most_every_ten_seconds() throws Exception {
        register("/progress", "job.progress");
        register("/no-progress");
        // Four seconds of 640x360 to HEVC: most of a second of encoding, several progress readings 100 ms apart (as
        // EventStreamsIT). At the tests' default preset, x264 ultrafast, it could end before FFmpeg's first reading.
        Path longer = Media.clip(root, "longer.mp4", 4, "640x360");

        String job = submit(longer, Map.of("preset", "hevc-1080p"));

        await().atMost(Duration.ofSeconds(120)).until(() -> receiver.requests("/no-progress").stream()
                .anyMatch(r -> r.type().equals("job.succeeded")));
        // Each endpoint has its own deliveries: the progress may reach its endpoint after the end reached the other.
        List<Request> progress = await().atMost(Duration.ofSeconds(10))
                .until(() -> receiver.requests("/progress"), requests -> !requests.isEmpty());
        java.time.Instant last = null;
        for (Request request : progress) {
            JsonNode body = request.json();
            assertEquals("job.progress", body.path("type").asText());
            assertEquals(job, body.path("data").path("id").asText());
            assertTrue(body.path("data").path("progress").isInt(), body.toString());
            java.time.Instant at = java.time.Instant.parse(body.path("timestamp").asText());
            assertTrue(last == null || !at.isBefore(last.plusSeconds(10)), "throttled: " + progress);
            last = at;
        }
        assertTrue(receiver.requests("/no-progress").stream().noneMatch(r -> r.type().equals("job.progress")));
    }

    private static int order(String type) {
        return List.of("job.queued", "job.started", "job.succeeded").indexOf(type);
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    @Test
    void a_registered_endpoint_gets_the_events_it_asked_for_signed_with_its_secret_and_both_during_a_rotation()
            throws Exception {
        JsonNode endpoint = register("/endpoint", "job.succeeded");
        String id = endpoint.path("id").asText();
        String secret = endpoint.path("secret").asText();
        assertTrue(secret.startsWith("whsec_"), secret);
        assertFalse(http.get("/admin/webhooks").body().contains(secret), "the secret is shown once only");
        assertFalse(http.get("/admin/webhooks/" + id).json().has("secret"));

        String first = submit(Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/endpoint").size() == 1);
        Request one = receiver.requests("/endpoint").get(0);
        assertEquals("job.succeeded", one.type());
        assertEquals(first, one.json().path("data").path("id").asText());
        one.verify(secret);

        JsonNode rotated = http.post("/admin/webhooks/" + id + "/rotate", "application/json", "").json();
        String newSecret = rotated.path("secret").asText();
        assertNotEquals(secret, newSecret);
        assertTrue(rotated.has("previousSecretValidUntil"));
        submit(Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/endpoint").size() == 2);
        Request two = receiver.requests("/endpoint").get(1);
        assertEquals(2, two.header("webhook-signature").split(" ").length);
        two.verify(newSecret);
        two.verify(secret);

        assertEquals(204, http.delete("/admin/webhooks/" + id).status());
        assertEquals(404, http.get("/admin/webhooks/" + id).status());
    }

    @Test
    void a_redirect_is_not_followed_and_counts_as_a_failure() throws Exception {
        try (Listener elsewhere = new Listener()) {
            receiver.on("/moved", n -> new Answer(302, Map.of("Location", elsewhere.url("/x"))));
            register("/moved", "job.succeeded");

            String job = submit(Map.of());

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).path(0).path("attempts").size() >= 2);
            JsonNode attempt = deliveries(job).path(0).path("attempts").path(0);
            assertEquals(302, attempt.path("statusCode").asInt());
            assertEquals("retry", attempt.path("outcome").asText());
            assertEquals(0, elsewhere.connections(), "the Location was never called");
        }
    }

    /**
     * An answer that says its body is compressed when it is not (here: no body at all, as some proxies send it) is
     * still the receiver's 2xx: the body is never read, so it is never decompressed. It was a failed attempt, retried
     * for ever as "Not in GZIP format" by the receiver that had accepted it.
     */
    @Test
    void an_answer_that_claims_a_compressed_body_it_does_not_have_still_counts() throws Exception {
        receiver.on("/claims-gzip", n -> new Answer(200, Map.of("Content-Encoding", "gzip")));
        register("/claims-gzip", "job.succeeded");

        String job = submit(Map.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).path(0).path("attempts").size() >= 1);
        JsonNode delivery = deliveries(job).path(0);
        assertEquals("delivered", delivery.path("state").asText(), delivery.toString());
        assertEquals(1, receiver.requests("/claims-gzip").size());
    }

    @Test
    void a_410_disables_the_endpoint_and_nothing_more_is_sent_to_it() throws Exception {
        receiver.on("/gone", n -> Answer.of(410));
        String id = register("/gone", "job.started", "job.succeeded").path("id").asText();

        String job = submit(Map.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/admin/webhooks/" + id).json().path("status")
                .asText().equals("disabled"));
        assertTrue(http.get("/admin/webhooks/" + id).json().path("disabledReason").asText().contains("410"));
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + job).json().path("status").asText()
                .equals("succeeded"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stream(deliveries(job))
                .noneMatch(d -> d.path("state").asText().equals("pending")));
        assertEquals(1, receiver.requests("/gone").size(), "job.started was answered 410: job.succeeded not sent");
        // job.succeeded, if it came before the 410 was recorded, ends unsent; after it, it is not even made.
        List<String> states = stream(deliveries(job)).map(d -> d.path("state").asText()).toList();
        assertEquals("gone", states.get(0));
        assertTrue(states.subList(1, states.size()).stream().allMatch("abandoned"::equals), states.toString());
    }

    @Test
    void retry_after_is_honoured() throws Exception {
        receiver.on("/busy", n -> n == 1 ? new Answer(503, Map.of("Retry-After", "2")) : Answer.of(200));
        register("/busy", "job.succeeded");

        submit(Map.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/busy").size() == 2);
        List<Request> attempts = receiver.requests("/busy");
        assertTrue(Duration.between(attempts.get(0).at(), attempts.get(1).at()).toMillis() >= 2000,
                "the second attempt waited for Retry-After, not the scaled 5 ms: " + attempts);
    }

    /**
     * A job's own callback is signed with its tenant's secret, which that tenant reads and no other verifies with: one
     * secret for all let a tenant's receiver be sent, or forge, another tenant's events.
     */
    private void otherTenantsCallbacksAreSignedWithTheirOwnSecret(Http http, String theirs, String mine)
            throws Exception {
        Http.Answer secret = http.get("/callback-secret", "X-API-Key", theirs);
        assertEquals(200, secret.status(), secret.body());
        assertEquals("other", secret.json().path("tenant").asText());
        String theirSecret = secret.json().path("secret").asText();
        Http.Answer operators = http.get("/callback-secret", "X-API-Key", mine);
        assertEquals(409, operators.status(), "the default tenant's is the operator's own, never served");
        assertFalse(operators.body().contains(SECRET));

        http.upload("/jobs", clip, "clip.mp4", Map.of("callbackUrl", receiver.url("/other-callback")),
                "X-API-Key", theirs);

        Request queued = await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests("/other-callback"), list -> !list.isEmpty()).get(0);
        queued.verify(theirSecret);
        assertThrows(WebhookVerificationException.class, () -> queued.verify(SECRET));
    }

    /**
     * Its own service, with keys checked: an admin acts for its key's tenant, which no header of the request can
     * change (the other tests' service answers loopback without keys, and would not once a key exists).
     */
    @Test
    void an_endpoint_is_its_tenants_only() throws Exception {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("transcoder.auth", "on");
        try (TestApp tenants = TestApp.start(root.resolve("tenants"), settings)) {
            Http http = tenants.http();
            KeyStore keys = tenants.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            String mine = keys.issue("default", EnumSet.of(Scope.ADMIN), "default", null, Instant.now()).key();
            String theirs = keys.issue("other", EnumSet.of(Scope.ADMIN), "other", null, Instant.now()).key();
            Http.Answer other = http.post("/admin/webhooks", "application/json", "{\"url\":\""
                    + receiver.url("/other") + "\"}", "X-API-Key", theirs);
            assertEquals(201, other.status(), other.body());
            String id = other.json().path("id").asText();

            Http.Answer accepted = http.upload("/jobs", clip, "clip.mp4", Map.of(), "X-API-Key", mine);
            String job = accepted.json().path("id").asText();

            await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + job, "X-API-Key", mine).json()
                    .path("status").asText().equals("succeeded"));
            assertEquals(404, http.get("/admin/webhooks/" + id, "X-API-Key", mine).status(),
                    "not the default tenant's");
            assertEquals(404, http.get("/admin/webhooks/" + id, "X-API-Key", mine, "TranscoderTenant", "other")
                    .status(), "no header makes a caller another tenant");
            assertEquals(0, http.get("/admin/webhooks", "X-API-Key", mine).json().path("webhooks").size());
            assertEquals(200, http.get("/admin/webhooks/" + id, "X-API-Key", theirs).status());
            assertEquals(0, receiver.requests("/other").size(), "the default tenant's job events are not sent to it");
            otherTenantsCallbacksAreSignedWithTheirOwnSecret(http, theirs, mine);
            assertEquals(204, http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(http.base() + "/admin/webhooks/" + id)).header("X-API-Key", theirs)
                    .DELETE().build()).status());
        }
    }
}
