package io.videotranscoder.access;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every call of the API, asked with no key, a mistyped key, an unknown, a revoked and an expired key, and a key without
 * the scope it needs: real HTTP against the service with {@code TRANSCODER_AUTH=on}, keys in its real Redis.
 */
class AccessIT {

    private static final String JOB = "58c243b8-e30a-474e-b707-9ef819067e7b";

    @TempDir
    static Path root;
    static LogCapture log;
    static TestApp app;
    static Http http;
    static KeyStore keys;
    static String admin;
    static String reader;
    static String writer;
    static String revoked;
    static String expired;

    /** A call of the API and the scope it needs (null: any valid key). */
    record Call(String method, String path, Scope scope) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Call> calls() {
        return Stream.of(new Call("GET", "/jobs", Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB, Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB + "?wait=5", Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB + "/output", Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB + "/outputs/output.mp4", Scope.JOBS_READ),
                new Call("HEAD", "/jobs/" + JOB + "/output", Scope.JOBS_READ),
                new Call("HEAD", "/jobs/" + JOB + "/outputs/output.mp4", Scope.JOBS_READ),
                new Call("GET", "/status/" + JOB, Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB + "/deliveries", Scope.JOBS_READ),
                new Call("POST", "/jobs", Scope.JOBS_WRITE),
                new Call("POST", "/transcode", Scope.JOBS_WRITE),
                new Call("POST", "/jobs/" + JOB + "/retry", Scope.JOBS_WRITE),
                new Call("DELETE", "/jobs/" + JOB, Scope.JOBS_WRITE),
                new Call("GET", "/admin/keys", Scope.ADMIN),
                new Call("POST", "/admin/keys", Scope.ADMIN),
                new Call("GET", "/admin/keys/0123456789abcdef", Scope.ADMIN),
                new Call("DELETE", "/admin/keys/0123456789abcdef", Scope.ADMIN),
                new Call("GET", "/admin/webhooks", Scope.ADMIN),
                new Call("POST", "/admin/webhooks", Scope.ADMIN),
                new Call("POST", "/admin/webhooks/x/rotate", Scope.ADMIN),
                new Call("GET", "/callback-secret", Scope.JOBS_WRITE),
                new Call("POST", "/events/token", Scope.JOBS_READ),
                // The router takes a trailing slash for the same call: the check does too.
                new Call("GET", "/callback-secret/", Scope.JOBS_WRITE),
                new Call("POST", "/events/token/", Scope.JOBS_READ),
                new Call("GET", "/jobs/" + JOB + "/", Scope.JOBS_READ),
                new Call("GET", "/presets", null));
    }

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.auth", "on"));
        http = app.http();
        keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
        Instant now = Instant.now();
        admin = keys.issue("admin", EnumSet.of(Scope.ADMIN), "default", null, now).key();
        reader = keys.issue("reader", EnumSet.of(Scope.JOBS_READ), "acme", null, now).key();
        writer = keys.issue("writer", EnumSet.of(Scope.JOBS_WRITE), "acme", null, now).key();
        KeyStore.Issued gone = keys.issue("gone", EnumSet.of(Scope.ADMIN), "default", null, now);
        keys.revoke(gone.record().id(), now);
        revoked = gone.key();
        expired = keys.issue("expired", EnumSet.of(Scope.ADMIN), "default", now.minusSeconds(1), now.minusSeconds(60))
                .key();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (log != null) {
            log.close();
        }
    }

    static Http.Answer call(Call call, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + call.path()))
                .method(call.method(), HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build());
    }

    static void assertRefused(Http.Answer answer, int status, String detail) throws Exception {
        assertRefused(null, answer, status, detail);
    }

    /** A HEAD's answer has the problem's status and headers, and no body. */
    static void assertRefused(Call call, Http.Answer answer, int status, String detail) throws Exception {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        if (call == null || !call.method().equals("HEAD")) {
            JsonNode problem = answer.json();
            assertEquals(status, problem.path("status").asInt());
            assertTrue(problem.path("detail").asText().contains(detail), problem.toString());
        }
        if (status == 401) {
            assertEquals("Bearer", answer.header("WWW-Authenticate"));
        } else {
            assertNull(answer.header("WWW-Authenticate"));
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void without_a_key_each_call_is_a_401_saying_how_to_send_one(Call call) throws Exception {
        assertRefused(call, call(call), 401, "X-API-Key");
    }

    @ParameterizedTest
    @MethodSource("calls")
    void a_mistyped_key_is_a_401_without_a_lookup(Call call) throws Exception {
        String typo = admin.substring(0, 10) + (admin.charAt(10) == 'a' ? 'b' : 'a') + admin.substring(11);

        assertRefused(call, call(call, "Authorization", "Bearer " + typo), 401, "copied whole");
        assertRefused(call, call(call, "X-API-Key", admin.substring(0, admin.length() - 1)), 401, "copied whole");
        assertRefused(call, call(call, "Authorization", "Basic " + admin), 401, "copied whole");
    }

    @ParameterizedTest
    @MethodSource("calls")
    void an_unknown_revoked_or_expired_key_is_a_401(Call call) throws Exception {
        assertRefused(call, call(call, "X-API-Key", ApiKey.generate()), 401, "not known");
        assertRefused(call, call(call, "Authorization", "Bearer " + revoked), 401, "revoked");
        assertRefused(call, call(call, "X-API-Key", expired), 401, "expired");
    }

    @ParameterizedTest
    @MethodSource("calls")
    void a_key_without_the_scope_of_the_call_is_a_403_naming_it(Call call) throws Exception {
        if (call.scope() == null) {
            assertEquals(200, call(call, "X-API-Key", reader).status());
            assertEquals(200, call(call, "Authorization", "Bearer " + writer).status());
            return;
        }
        for (String key : List.of(reader, writer)) {
            boolean granted = call.scope() == Scope.JOBS_READ && key.equals(reader)
                              || call.scope() == Scope.JOBS_WRITE && key.equals(writer);
            Http.Answer answer = call(call, "X-API-Key", key);
            if (granted) {
                assertFalse(List.of(401, 403).contains(answer.status()), call + ": " + answer.body());
            } else {
                assertRefused(call, answer, 403, "needs " + call.scope().value());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void an_admin_key_passes_the_check_of_every_call_in_either_header_and_is_never_echoed(Call call) throws Exception {
        Http.Answer byHeader = call(call, "X-API-Key", admin);
        Http.Answer byBearer = call(call, "Authorization", "bearer " + admin);

        assertFalse(List.of(401, 403).contains(byHeader.status()));
        assertFalse(List.of(401, 403).contains(byBearer.status()));
        for (Http.Answer answer : List.of(byHeader, byBearer)) {
            assertFalse(answer.headers().toString().contains(admin.substring(3, 25)), answer.headers().toString());
            assertFalse(answer.body().contains(admin.substring(3, 25)));
        }
        // A proxy's Basic credentials beside the key: the key is the one meant.
        assertFalse(List.of(401, 403).contains(call(call, "Authorization", "Basic dXNlcjpwYXNz", "X-API-Key", admin)
                .status()));
    }

    @Test
    void an_admin_creates_a_key_shown_once_lists_keys_without_secrets_and_revokes_one() throws Exception {
        Http.Answer created = http.post("/admin/keys", "application/json",
                "{\"name\": \"ci\", \"scopes\": [\"jobs:read\"], \"tenant\": \"acme\"}", "X-API-Key", admin);

        assertEquals(201, created.status(), created.body());
        JsonNode key = created.json();
        String id = key.path("id").asText();
        assertEquals("/admin/keys/" + id, created.header("Location"));
        assertTrue(ApiKey.wellFormed(key.path("key").asText()));
        assertEquals(List.of("jobs:read"), List.of(key.path("scopes").get(0).asText()));
        assertEquals("acme", key.path("tenant").asText());
        assertEquals(200, http.get("/jobs", "X-API-Key", key.path("key").asText()).status());

        Http.Answer listed = http.get("/admin/keys", "X-API-Key", admin);
        assertEquals(200, listed.status());
        JsonNode entry = listed.json().path("keys").path(0);
        assertEquals(id, entry.path("id").asText(), "newest first");
        assertFalse(entry.has("key"));
        assertFalse(listed.body().contains(key.path("key").asText().substring(3, 25)), "no secret in a listing");
        assertTrue(entry.has("lastUsedAt"));
        Http.Answer read = http.get(created.header("Location"), "X-API-Key", admin);
        assertEquals(200, read.status(), read.body());
        assertEquals(entry, read.json(), "where Location points: the key as listed");

        Http.Answer revoke = call(new Call("DELETE", "/admin/keys/" + id, Scope.ADMIN), "X-API-Key", admin);
        assertEquals(204, revoke.status());
        assertRefused(http.get("/jobs", "X-API-Key", key.path("key").asText()), 401, "revoked");
        assertTrue(http.get("/admin/keys", "X-API-Key", admin).json().path("keys").path(0).has("revokedAt"));
        assertTrue(http.get("/admin/keys/" + id, "X-API-Key", admin).json().has("revokedAt"));
        assertRefused(call(new Call("DELETE", "/admin/keys/0123456789abcdef", Scope.ADMIN), "X-API-Key", admin),
                404, "no key");
        assertRefused(http.get("/admin/keys/0123456789abcdef", "X-API-Key", admin), 404, "no key");
    }

    @Test
    void a_key_request_with_a_bad_field_is_a_400_naming_it() throws Exception {
        Map<String, String> bodies = Map.of(
                "{\"name\": \"x\", \"scopes\": [\"jobs:all\"]}", "scopes",
                "{\"name\": \"x\", \"scopes\": []}", "scopes",
                "{\"scopes\": [\"admin\"]}", "name",
                "{\"name\": \"x\", \"scopes\": \"admin\", \"tenant\": \"Big Corp\"}", "tenant",
                "{\"name\": \"x\", \"scopes\": \"admin\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}", "expiresAt",
                "{\"name\": \"x\", \"scopes\": \"admin\", \"expiresAt\": \"tomorrow\"}", "expiresAt");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            Http.Answer answer = http.post("/admin/keys", "application/json", body.getKey(), "X-API-Key", admin);
            assertEquals(400, answer.status(), body.getKey());
            assertEquals(body.getValue(), answer.json().path("field").asText(), answer.body());
        }
        assertEquals(400, http.post("/admin/keys", "application/json", "not json", "X-API-Key", admin).status());
        assertEquals(400, http.post("/admin/keys", "application/json", "[1]", "X-API-Key", admin).status());
    }

    @Test
    void refusals_are_counted_by_reason_and_no_key_is_ever_logged() throws Exception {
        Call jobs = new Call("GET", "/jobs", Scope.JOBS_READ);
        call(jobs);
        call(jobs, "X-API-Key", revoked);
        call(jobs, "X-API-Key", expired);
        call(jobs, "X-API-Key", ApiKey.generate());
        call(jobs, "X-API-Key", "vt_" + admin.substring(4));
        call(jobs, "X-API-Key", writer);

        String metrics = app.management().get("/observe/metrics").body();
        for (String reason : List.of("missing", "malformed", "unknown", "revoked", "expired", "scope", "untrusted")) {
            String series = "transcoder_auth_failures_total{camelContext=\"video-transcoder\",reason=\"" + reason
                            + "\"} ";
            double count = metrics.lines().filter(line -> line.startsWith(series))
                    .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElse(-1);
            assertTrue(reason.equals("untrusted") ? count == 0 : count > 0, reason + ": " + count);
        }
        assertTrue(metrics.contains("transcoder_quota_refusals_total{camelContext=\"video-transcoder\"} 0.0"));
        assertFalse(metrics.contains(ApiKey.id(ApiKey.digest(admin))), "a key's id in the metrics");
        for (String key : List.of(admin, reader, writer, revoked, expired)) {
            assertFalse(metrics.contains(key.substring(3, 25)), "a key's secret in the metrics");
            assertFalse(log.text().contains(key), "a key in the log");
            assertFalse(log.text().contains(key.substring(3, 25)), "a key's secret in the log");
        }
    }
}
