package io.videotranscoder.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.standardwebhooks.Webhook;

/**
 * A real HTTP server on loopback that takes webhooks: each path answers by a rule of its own (fail the first attempts
 * of each message, always answer a status, redirect, hold the request), and every request is kept to be examined.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived, and the status it was answered with (0: never answered). */
    public record Request(String path, Map<String, List<String>> headers, String body, Instant at, int answered) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String webhookId() {
            return header("webhook-id");
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(body, e);
            }
        }

        public String type() {
            return json().path("type").asText();
        }

        /** Verified with the Standard Webhooks library, not with the service's own code. */
        public void verify(String secret) throws Exception {
            new Webhook(secret).verify(body, headers);
        }
    }

    /** How a path answers the n-th attempt (1-based) of one webhook-id. */
    @FunctionalInterface
    public interface Rule {
        Answer answer(int attempt);
    }

    public record Answer(int status, Map<String, String> headers) {
        public static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final HttpServer server;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code path} answers with {@code rule}; paths without one answer 200. */
    public WebhookReceiver on(String path, Rule rule) {
        rules.put(path, rule);
        return this;
    }

    /** Fails the first {@code statuses.length} attempts of each message with those statuses, then answers 200. */
    public static Rule failingFirst(int... statuses) {
        return attempt -> Answer.of(attempt <= statuses.length ? statuses[attempt - 1] : 200);
    }

    /** Holds every request unanswered until {@link #release()}, then answers 200. */
    public static final Rule HOLD = attempt -> null;

    public void release() {
        released.countDown();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            int attempt = attempts.computeIfAbsent(path + " " + id, k -> new AtomicInteger()).incrementAndGet();
            Answer answer = rules.getOrDefault(path, n -> Answer.of(200)).answer(attempt);
            if (answer == null) {
                requests.add(new Request(path, headers, body, Instant.now(), 0));
                awaitRelease();
                answer = Answer.of(200);
            } else {
                requests.add(new Request(path, headers, body, Instant.now(), answer.status()));
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    private void awaitRelease() {
        try {
            released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
