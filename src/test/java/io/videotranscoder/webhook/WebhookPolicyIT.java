package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.RawHttp;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.SilentReceiver;
import io.videotranscoder.support.TricklingReceiver;
import io.videotranscoder.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the service refuses to call, with no operator secret and only {@code receiver.test} allow-listed, and names
 * resolved by a resolver of the test's: {@code receiver.test} is the receiver on loopback, {@code rebind.test} answers
 * a public address once and loopback after. The retry schedule is scaled down a hundred thousand times.
 */
class WebhookPolicyIT {

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static WebhookReceiver receiver;
    static Path clip;
    static final AtomicInteger rebindLookups = new AtomicInteger();

    static InetAddress[] resolve(String host) throws UnknownHostException {
        return switch (host) {
            case "receiver.test", "silent.test" -> new InetAddress[] {InetAddress.getLoopbackAddress()};
            case "rebind.test" -> new InetAddress[] {InetAddress.getByName(
                    rebindLookups.incrementAndGet() == 1 ? "93.184.216.34" : "127.0.0.1")};
            default -> throw new UnknownHostException(host);
        };
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = new WebhookReceiver();
        clip = Media.clip(root, "clip.mp4", 1, "320x240");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.webhook-allowlist", "receiver.test,silent.test",
                "transcoder.webhook-retry-scale", "0.00001", "transcoder.webhook-schedule-period", "100ms",
                "transcoder.webhook-timeout", "1000ms", "transcoder.webhook-connect-timeout", "300ms"),
                Map.of("webhookResolver", (HostResolver) WebhookPolicyIT::resolve));
        http = app.http();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        receiver.close();
    }

    private static Http.Answer register(String url) throws Exception {
        return http.post("/admin/webhooks", "application/json", "{\"url\":\"" + url + "\"}");
    }

    private static void assertRefused(Http.Answer answer, String field) throws Exception {
        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals(field, answer.json().path("field").asText());
    }

    @Test
    void a_callback_url_is_refused_saying_why_while_no_operator_secret_is_set() throws Exception {
        Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", Map.of("callbackUrl", "http://receiver.test/x"));

        assertRefused(answer, "callbackUrl");
        assertTrue(answer.json().path("detail").asText().contains("TRANSCODER_WEBHOOK_SECRET"), answer.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9/x", "http://localhost.test/x", "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/", "http://[::1]/x", "http://[::ffff:127.0.0.1]/x",
        "http://[fd00::1]/x", "http://100.64.0.1/x", "http://0.0.0.0/x", "ftp://receiver.test/x",
        "http://user:secret@receiver.test/x", "file:///etc/passwd"})
    void an_endpoint_that_is_not_a_public_http_url_is_refused_at_registration(String url) throws Exception {
        assertRefused(register(url), "url");
    }

    @Test
    void a_registration_must_be_json_with_known_events() throws Exception {
        assertEquals(415, http.post("/admin/webhooks", "text/plain", "http://receiver.test/x").status());
        assertRefused(http.post("/admin/webhooks", "application/json",
                "{\"url\":\"http://receiver.test/x\",\"events\":[\"job.exploded\"]}"), "events");
        assertEquals(400, http.post("/admin/webhooks", "application/json", "{not json").status());
        assertRefused(http.post("/admin/webhooks", "application/json",
                "{\"url\":\"http://receiver.test/x\",\"event\":[\"job.succeeded\"]}"), "event");
    }

    /**
     * JSON is UTF-8: the charset a Content-Type names is not taken (an unknown one was a 500). A misspelt field is
     * refused, not ignored.
     */
    @Test
    void an_admin_body_is_read_as_utf8_whatever_charset_is_named_and_an_unknown_field_is_refused() throws Exception {
        assertRefused(http.post("/admin/webhooks", "application/json; charset=nope",
                "{\"url\":\"http://receiver.test/x\",\"events\":[\"job.exploded\"]}"), "events");
        assertRefused(http.post("/admin/keys", "application/json; charset=nope",
                "{\"name\":\"ci\",\"scopes\":[\"jobs:nothing\"]}"), "scopes");
        assertRefused(http.post("/admin/keys", "application/json",
                "{\"name\":\"ci\",\"scopes\":[\"jobs:read\"],\"scope\":\"admin\"}"), "scope");
    }

    @Test
    void an_admin_request_without_a_body_is_refused_naming_the_missing_body() throws Exception {
        int port = java.net.URI.create(http.base()).getPort();
        for (String path : List.of("/admin/webhooks", "/admin/keys")) {
            // As curl -X POST sends it: neither Content-Length nor Transfer-Encoding, so no body at all.
            RawHttp.Answer answer = RawHttp.sendHead(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json");

            assertEquals(400, answer.status(), path + ": " + answer.text());
            String[] headAndBody = answer.text().split("\r\n\r\n", 2);
            assertTrue(headAndBody[0].toLowerCase().contains("content-type: application/problem+json"), answer.text());
            String body = headAndBody[1].substring(headAndBody[1].indexOf('{'), headAndBody[1].lastIndexOf('}') + 1);
            JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body); // chunked or not
            assertEquals(400, problem.path("status").asInt(), answer.text());
            assertTrue(problem.path("detail").asText().contains("body"), answer.text());
        }
    }

    @Test
    void a_host_rebound_to_loopback_after_the_check_is_refused_at_delivery_and_never_connected_to() throws Exception {
        Http.Answer registered = register("http://rebind.test:" + receiver.port() + "/rebound");
        assertEquals(201, registered.status(), registered.body());
        String job = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).size() >= 1
                && deliveries(job).path(0).path("state").asText().equals("dead"));
        JsonNode attempts = deliveries(job).path(0).path("attempts");
        assertEquals(RetrySchedule.attempts(), attempts.size());
        assertTrue(attempts.path(0).path("error").asText().contains(AddressPolicy.notPublic("rebind.test")),
                attempts.toString());
        assertFalse(attempts.path(0).path("error").asText().contains("127.0.0.1"), "where it points is not told");
        assertEquals(0, receiver.requests("/rebound").size(), "no request reached the loopback receiver");
        assertTrue(rebindLookups.get() > 1, "every attempt looked the host up again");
        deleteAll();
    }

    @Test
    void after_the_last_attempt_a_delivery_is_dead_lettered_and_counted() throws Exception {
        receiver.on("/down", n -> WebhookReceiver.Answer.of(500));
        assertEquals(201, register("http://receiver.test:" + receiver.port() + "/down").status());

        String job = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

        // One delivery per event of the job (queued, started, succeeded; a second started where a loaded machine
        // let the lease lapse), each tried on the whole schedule, then dead.
        assertEquals("succeeded", await().atMost(Duration.ofSeconds(120)).until(() -> http.get("/jobs/" + job
                + "?wait=20").json().path("status").asText(), status -> !status.matches("queued|running")));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).size() >= 3
                && java.util.stream.StreamSupport.stream(deliveries(job).spliterator(), false)
                        .allMatch(d -> d.path("state").asText().equals("dead")));
        List<String> types = java.util.stream.StreamSupport.stream(deliveries(job).spliterator(), false)
                .map(d -> d.path("type").asText()).toList();
        assertEquals(http.get("/jobs/" + job).json().path("attempts").asInt(),
                types.stream().filter("job.started"::equals).count(), "one started per attempt: " + types);
        assertTrue(types.containsAll(List.of("job.queued", "job.succeeded")), types.toString());
        assertEquals(types.size() * RetrySchedule.attempts(), receiver.requests("/down").size());
        assertEquals(500, deliveries(job).path(0).path("attempts").path(9).path("statusCode").asInt());
        assertEquals("dead", deliveries(job).path(0).path("attempts").path(9).path("outcome").asText());
        String metrics = app.management().get("/observe/metrics").body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("transcoder_webhook_deliveries_dead")
                && !l.endsWith(" 0.0")), metrics);
        assertTrue(metrics.contains("transcoder_webhook_deliveries_total{camelContext=\"video-transcoder\","
                + "outcome=\"dead\"}"), metrics);
        assertTrue(metrics.contains("transcoder_webhook_delivery_latency_seconds_bucket"), metrics);
        assertTrue(metrics.contains("transcoder_webhook_deliveries_pending"), metrics);
        deleteAll();
    }

    @Test
    void a_receiver_that_does_not_answer_within_the_timeout_is_a_failed_attempt() throws Exception {
        // The receiver answers only once the test has seen the attempt fail (or after 10 s): long past the 1 s timeout.
        CountDownLatch seen = new CountDownLatch(1);
        receiver.on("/slow", n -> {
            try {
                seen.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return WebhookReceiver.Answer.of(200);
        });
        assertEquals(201, http.post("/admin/webhooks", "application/json", "{\"url\":\"http://receiver.test:"
                + receiver.port() + "/slow\",\"events\":[\"job.succeeded\"]}").status());

        String job = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).path(0).path("attempts").size() >= 1);
        JsonNode attempt = deliveries(job).path(0).path("attempts").path(0);
        assertTrue(attempt.path("error").asText().toLowerCase().contains("timed out"), attempt.toString());
        assertTrue(attempt.path("durationMs").asLong() >= 1000, attempt.toString());
        assertTrue(attempt.path("statusCode").isMissingNode());
        seen.countDown();
        deleteAll();
    }

    /**
     * A receiver that never answers holds each attempt for the whole timeout: once it has been slow, at most half of
     * the process's four senders at once, so that the others go on sending every other receiver's webhooks. It took
     * all four, and every tenant's webhooks waited behind it.
     */
    @Test
    void a_receiver_that_never_answers_holds_at_most_half_of_the_senders() throws Exception {
        receiver.on("/beside-silent", n -> WebhookReceiver.Answer.of(200));
        try (SilentReceiver silent = new SilentReceiver()) {
            assertEquals(201, register("http://silent.test:" + silent.port() + "/hang").status());
            assertEquals(201, register("http://receiver.test:" + receiver.port() + "/beside-silent").status());

            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                jobs.add(http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText());
            }

            // Each job's events reach the other receiver, while the silent one's attempts time out and are tried again.
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/beside-silent").stream()
                    .filter(r -> "job.succeeded".equals(r.type())).count() == 4);
            // Its first attempts may take every sender: it was not known slow yet.
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.requests() >= 14);
            assertEquals(2, silent.mostHeld(6, Duration.ofMillis(200)), "held at once, of four senders");
            String metrics = app.management().get("/observe/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("transcoder_webhook_attempts_deferred_total{")
                    && l.contains("reason=\"host-slow\"") && !l.endsWith(" 0.0")), metrics);
        }
        deleteAll();
    }

    /**
     * A host that drops connections (down, or behind a firewall that drops): the attempt is given up at the connect
     * timeout, 300 ms here, not at the whole attempt's 1 s. A listening socket whose queue of connections is full drops
     * new ones, as such a host does.
     */
    @Test
    void a_connection_never_accepted_is_given_up_at_the_connect_timeout() throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 10; i++) {
                Socket socket = new Socket();
                queued.add(socket);
                try {
                    socket.connect(full.getLocalSocketAddress(), 200);
                } catch (SocketTimeoutException dropped) {
                    break;
                }
            }
            assertEquals(201, http.post("/admin/webhooks", "application/json", "{\"url\":\"http://receiver.test:"
                    + full.getLocalPort() + "/dropped\",\"events\":[\"job.succeeded\"]}").status());

            String job = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).path(0).path("attempts").size() >= 1);
            JsonNode attempt = deliveries(job).path(0).path("attempts").path(0);
            assertTrue(attempt.path("error").asText().contains("ConnectTimeoutException"), attempt.toString());
            assertTrue(attempt.path("durationMs").asLong() < 1000, "before the whole attempt's timeout: " + attempt);
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
        deleteAll();
    }

    @Test
    void a_receiver_that_answers_and_then_trickles_a_body_for_ever_is_cut_off_at_the_timeout() throws Exception {
        try (TricklingReceiver trickler = new TricklingReceiver()) {
            assertEquals(201, http.post("/admin/webhooks", "application/json", "{\"url\":\"http://receiver.test:"
                    + trickler.port() + "/trickle\",\"events\":[\"job.succeeded\"]}").status());

            String job = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();

            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(job).path(0).path("attempts").size() >= 1);
            JsonNode attempt = deliveries(job).path(0).path("attempts").path(0);
            assertEquals("retry", attempt.path("outcome").asText(), attempt.toString());
            assertTrue(attempt.path("error").asText().toLowerCase().contains("timed out"), attempt.toString());
            assertTrue(attempt.path("statusCode").isMissingNode(), "a status without its whole answer is none");
            long took = attempt.path("durationMs").asLong();
            assertTrue(took >= 1000 && took < 5000, "cut off at the 1 s timeout: " + attempt);
            await().atMost(Duration.ofSeconds(10)).until(() -> trickler.hungUp() >= 1);

            // The delivery threads are free again, the trickler still registered: a later webhook goes out.
            receiver.on("/after-trickle", n -> WebhookReceiver.Answer.of(200));
            assertEquals(201, register("http://receiver.test:" + receiver.port() + "/after-trickle").status());
            String later = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests("/after-trickle").stream()
                    .anyMatch(r -> r.type().equals("job.succeeded") && r.body().contains(later)));
        } finally {
            deleteAll();
        }
    }

    private static JsonNode deliveries(String job) throws Exception {
        return http.get("/jobs/" + job + "/deliveries").json().path("deliveries");
    }

    private static void deleteAll() throws Exception {
        for (JsonNode endpoint : http.get("/admin/webhooks").json().path("webhooks")) {
            http.delete("/admin/webhooks/" + endpoint.path("id").asText());
        }
    }
}
