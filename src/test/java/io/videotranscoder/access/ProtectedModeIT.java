package io.videotranscoder.access;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.RawHttp;
import io.videotranscoder.support.SseClient;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Safe by default: with no key, only trusted addresses (loopback) are served; TRANSCODER_AUTH=off serves everyone; a
 * bootstrap key is stored once. The test client is on 127.0.0.1, so a trusted-address list without loopback makes it
 * a remote client.
 */
class ProtectedModeIT {

    private static final List<String> PATHS = List.of("/jobs", "/presets", "/status/x", "/admin/keys");

    @TempDir
    Path root;

    @Test
    void without_a_key_a_client_not_on_a_trusted_address_gets_a_403_saying_how_to_make_one() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.trusted-addresses", "10.0.0.0/8"))) {
            Http http = app.http();
            for (String path : PATHS) {
                Http.Answer answer = http.get(path);
                assertEquals(403, answer.status(), path);
                assertEquals("application/problem+json", answer.header("Content-Type"));
                JsonNode problem = answer.json();
                assertTrue(problem.path("detail").asText().contains("protected mode"), problem.toString());
                assertTrue(problem.path("detail").asText().contains("java -jar video-transcoder.jar keys create --name"
                                                                    + " NAME --scopes jobs:read,jobs:write"));
            }
            assertEquals(403, http.upload("/jobs", null, null, Map.of()).status());
            assertTrue(app.management().get("/observe/metrics").body().contains(
                    "transcoder_auth_failures_total{camelContext=\"video-transcoder\",reason=\"untrusted\"} 5.0"));
        }
    }

    /**
     * With every origin allowed (CORS {@code *}), a page elsewhere's made-up key header, which nothing checks before a
     * key exists, neither makes anything nor lets the page read what loopback is served; a key checked does, once.
     */
    @Test
    void loopback_is_served_until_a_key_exists_and_then_needs_one_like_anyone() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.cors-allowed-origins", "*"))) {
            Http http = app.http();
            assertEquals(200, http.get("/jobs").status());
            assertEquals(200, http.get("/admin/keys").status(), "served as an admin");
            assertMadeUpKeysFromElsewhereCountForNothing(http);

            int port = URI.create(http.base()).getPort();
            // A page of another site whose name now points at this machine (DNS rebinding) is not this machine's user.
            RawHttp.Answer rebound = RawHttp.send(port, "GET /admin/keys HTTP/1.1\r\nHost: rebind.example:" + port, "");
            assertEquals(403, rebound.status(), rebound.text());
            assertTrue(rebound.text().contains("TRANSCODER_KEYLESS_HOSTS"), rebound.text());
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "app.localhost")) {
                assertEquals(200, RawHttp.send(port, "GET /jobs HTTP/1.1\r\nHost: " + host, "").status(), host);
            }

            KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            String key = keys.issue("first", EnumSet.of(Scope.JOBS_READ), "default", null, Instant.now()).key();

            assertEquals(401, http.get("/jobs").status());
            assertEquals(200, http.get("/jobs", "X-API-Key", key).status());
            Http.Answer read = http.get("/jobs", "Origin", ELSEWHERE, "X-API-Key", key);
            assertEquals("*", read.header("Access-Control-Allow-Origin"), "a key checked: the page reads the answer");
            Http.Answer refused = http.get("/jobs", "Origin", ELSEWHERE, "X-API-Key", "vt_made_up");
            assertEquals(401, refused.status());
            assertEquals("*", refused.header("Access-Control-Allow-Origin"), "and the reason its key was refused");
            Http.Answer tooLarge = http.post("/admin/keys", "application/json", "x".repeat(70_000), "Origin", ELSEWHERE,
                    "X-API-Key", key);
            assertEquals(413, tooLarge.status());
            assertEquals("*", tooLarge.header("Access-Control-Allow-Origin"), "a refusal before any check, as well");

            // The docs are open to anyone: a path that only starts there is not, however it is written.
            String body = "{\"name\":\"x\",\"scopes\":[\"admin\"]}";
            for (String path : List.of("/docs/../admin/keys", "/docs/%2e%2e/admin/keys", "/docs/./../admin/keys")) {
                RawHttp.Answer sneaked = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json", body);
                assertEquals(400, sneaked.status(), path + ": " + sneaked.text());
                assertTrue(sneaked.text().contains("ask for /admin/keys instead"), sneaked.text());
            }
            // A doubled slash (a base URL ending in one) is served as the path it stands for, with its checks.
            RawHttp.Answer doubled = RawHttp.send(port, "POST //admin/keys HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json", body);
            assertEquals(401, doubled.status(), doubled.text());
            assertEquals(1, keys.list().size(), "no key made by the requests above");
        }
    }

    @Test
    void event_streams_opened_without_a_key_end_once_a_key_exists_and_their_token_opens_nothing() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.event-key-recheck", "500ms"))) {
            Http http = app.http();
            Http.Answer issued = http.post("/events/token", "application/json", "");
            assertEquals(200, issued.status(), issued.body());
            String token = issued.json().path("token").asText();
            try (SseClient byToken = SseClient.open(http.base() + "/events?token=" + token);
                 SseClient keyless = SseClient.open(http.base() + "/events")) {
                assertEquals(200, byToken.status(), "on loopback in protected mode: " + byToken.body());
                assertEquals(200, keyless.status(), keyless.body());
                await().atMost(Duration.ofSeconds(10)).until(() -> byToken.lastEventId() != null
                                                                   && keyless.lastEventId() != null);

                KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
                keys.issue("first", EnumSet.of(Scope.JOBS_READ), "default", null, Instant.now());

                await().atMost(Duration.ofSeconds(10)).until(() -> byToken.ended() && keyless.ended());
            }
            SseClient refused = SseClient.open(http.base() + "/events?token=" + token);
            assertEquals(401, refused.status(), "the token stood for no key, and one is needed now: " + refused.body());
        }
    }

    @Test
    void with_checks_off_everyone_is_served_even_once_keys_exist() throws Exception {
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.auth", "off",
                "transcoder.trusted-addresses", "", "transcoder.cors-allowed-origins", "*"))) {
            KeyStore keys = app.context().getRegistry().lookupByNameAndType("keyStore", KeyStore.class);
            keys.issue("unused", EnumSet.of(Scope.JOBS_READ), "default", null, Instant.now());

            assertEquals(200, app.http().get("/jobs").status());
            assertEquals(200, app.http().get("/admin/keys").status());
            assertMadeUpKeysFromElsewhereCountForNothing(app.http());
            assertEquals(1, keys.list().size(), "no key made from elsewhere");
        }
    }

    private static final String ELSEWHERE = "https://evil.example";

    /**
     * Where no key is checked, a page elsewhere that sends a made-up key header (CORS {@code *} answers its preflight)
     * is served as no key is: its change is refused as cross-site, its read is served without the CORS headers that
     * would let it see the answer.
     */
    private static void assertMadeUpKeysFromElsewhereCountForNothing(Http http) throws Exception {
        Http.Answer made = http.post("/admin/keys", "application/json", "{\"name\":\"x\",\"scopes\":[\"admin\"]}",
                "Origin", ELSEWHERE, "X-API-Key", "vt_made_up");
        assertEquals(403, made.status(), made.body());
        assertTrue(made.json().path("detail").asText().contains("another site"), made.body());
        assertTrue(made.json().path("detail").asText().contains("a key header, which counts for nothing here"));
        Http.Answer read = http.get("/jobs", "Origin", ELSEWHERE, "X-API-Key", "vt_made_up");
        assertEquals(200, read.status(), "served to this machine as without a key");
        assertNull(read.header("Access-Control-Allow-Origin"), "but not to the page elsewhere");
    }

    @Test
    void the_bootstrap_admin_key_is_stored_once_never_logged_and_stays_revoked() throws Exception {
        String key = ApiKey.generate();
        Map<String, String> settings = Map.of("transcoder.bootstrap-admin.api-key", key);
        try (LogCapture log = new LogCapture()) {
            try (TestApp app = TestApp.start(root.resolve("data"), settings)) {
                Http http = app.http();
                assertEquals(401, http.get("/jobs").status(), "a key exists from the start");
                Http.Answer listed = http.get("/admin/keys", "Authorization", "Bearer " + key);
                assertEquals(200, listed.status(), listed.body());
                JsonNode only = listed.json().path("keys").path(0);
                assertEquals("bootstrap", only.path("name").asText());
                assertEquals("admin", only.path("scopes").path(0).asText());
                assertEquals("default", only.path("tenant").asText());
                assertFalse(listed.body().contains(key.substring(3, 25)), "no secret in a listing");
                assertEquals(204, http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http.base() + "/admin/keys/" + only.path("id").asText()))
                        .header("X-API-Key", key).DELETE().build()).status());
            }
            try (TestApp again = TestApp.start(root.resolve("data"), settings)) {
                Http.Answer refused = again.http().get("/jobs", "X-API-Key", key);
                assertEquals(401, refused.status());
                assertTrue(refused.body().contains("revoked"), refused.body());
            }
            assertFalse(log.text().contains(key.substring(3, 25)), "the bootstrap key in the log");
        }
    }

    @Test
    void a_bootstrap_value_that_is_not_a_key_stops_the_start_without_being_quoted() {
        String notAKey = "0123456789abcdef0123456789abcdef";
        Exception refused = assertThrows(Exception.class, () -> TestApp.start(root.resolve("data"),
                Map.of("transcoder.bootstrap-admin.api-key", notAKey)).close());

        String messages = messages(refused);
        assertTrue(messages.contains("TRANSCODER_BOOTSTRAP_ADMIN_KEY is not an API key"), messages);
        assertFalse(messages.contains(notAKey));
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }
}
