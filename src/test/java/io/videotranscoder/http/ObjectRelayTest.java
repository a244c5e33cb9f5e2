package io.videotranscoder.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Scope;
import io.videotranscoder.storage.Storage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay between a real Vert.x server standing for the API and another standing for the object store. */
class ObjectRelayTest {

    private static final byte[] OBJECT = new byte[1000];
    private static final OutputDownload.StoredFile FILE = new OutputDownload.StoredFile("job/1/output.mp4",
            OBJECT.length, Validators.of(OBJECT.length, Instant.EPOCH), "video/mp4", "inline", null);

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_range_is_relayed_only_from_a_206_of_that_range() {
        assertTrue(ObjectRelay.sends(206, "bytes 100-199/1000", "100", 100, 100, 1000));
        assertFalse(ObjectRelay.sends(206, "bytes 0-99/1000", "100", 100, 100, 1000), "another range");
        assertFalse(ObjectRelay.sends(206, null, "100", 100, 100, 1000), "no Content-Range");
        assertFalse(ObjectRelay.sends(206, "bytes 100-199/1000", "1000", 100, 100, 1000), "more bytes than asked");
    }

    @Test
    void a_store_that_ignores_range_is_relayed_only_when_the_whole_object_was_asked_for() throws Exception {
        assertFalse(ObjectRelay.sends(200, null, "1000", 100, 100, 1000), "the whole object for a range");
        assertTrue(ObjectRelay.sends(200, null, "1000", 0, 1000, 1000));
        assertTrue(ObjectRelay.sends(200, null, null, 0, 1000, 1000), "chunked, no length");
        assertFalse(ObjectRelay.sends(200, null, "999", 0, 1000, 1000), "the object changed size");
        assertFalse(ObjectRelay.sends(204, null, null, 0, 1000, 1000));

        String api = api(relay(store(request -> request.response().end(Buffer.buffer(OBJECT))),
                4, 5000), new FileAnswer(206, new ByteRange(100, 199)));
        HttpResponse<String> answer = get(api);
        assertEquals(503, answer.statusCode(), "the store's first bytes are not the range's");
        assertEquals("5", answer.headers().firstValue("Retry-After").orElse(null));
    }

    @Test
    void an_object_removed_since_it_was_found_is_gone() throws Exception {
        String api = api(relay(store(request -> request.response().setStatusCode(404).end()), 4, 5000),
                FileAnswer.WHOLE);

        assertEquals(410, get(api).statusCode());
    }

    @Test
    void downloads_past_the_store_connections_are_refused_in_time_not_left_unanswered() throws Exception {
        // A store that never answers: the one connection stays taken, as by a long download played at its pace.
        CompletableFuture<Void> taken = new CompletableFuture<>();
        String api = api(relay(store(request -> taken.complete(null)), 1, 500), FileAnswer.WHOLE);
        CompletableFuture<HttpResponse<String>> holding = client.sendAsync(HttpRequest.newBuilder(URI.create(api))
                .build(), HttpResponse.BodyHandlers.ofString());
        taken.get(10, TimeUnit.SECONDS);

        long start = System.nanoTime();
        HttpResponse<String> waited = get(api);

        assertEquals(503, waited.statusCode(), waited.body());
        assertEquals("5", waited.headers().firstValue("Retry-After").orElse(null));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused once its wait was over");
        assertFalse(holding.isDone());
    }

    /**
     * One key's downloads hold at most its share of the store's connections (here 1 of 4), however slowly they go:
     * past it, a 429 at once; another key's is relayed; a download ended gives its share back.
     */
    @Test
    void one_key_holds_at_most_its_share_of_the_store_connections() throws Exception {
        List<HttpServerRequest> waiting = new CopyOnWriteArrayList<>();
        String api = api(relay(store(waiting::add), 4, 5000, 1), FileAnswer.WHOLE);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(keyed(api, "a"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 1);

        HttpResponse<String> second = client.send(keyed(api, "a"), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, second.statusCode(), second.body());
        assertTrue(second.body().contains("TRANSCODER_MAX_DOWNLOADS_PER_KEY"), second.body());
        assertEquals("5", second.headers().firstValue("Retry-After").orElse(null));
        CompletableFuture<HttpResponse<String>> other = client.sendAsync(keyed(api, "b"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 2);

        vertx.runOnContext(v -> waiting.forEach(request -> request.response().end(Buffer.buffer(OBJECT))));
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, other.get(10, TimeUnit.SECONDS).statusCode());
        waiting.clear();
        CompletableFuture<HttpResponse<String>> again = client.sendAsync(keyed(api, "a"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 1);
        vertx.runOnContext(v -> waiting.forEach(request -> request.response().end(Buffer.buffer(OBJECT))));
        assertEquals(200, again.get(10, TimeUnit.SECONDS).statusCode(), "its share given back");
    }

    /**
     * A client that leaves while its download is looked up (the job read, the object's size asked of the store) holds
     * nothing: its share is not taken once the answer it would have had is closed.
     */
    @Test
    void a_client_gone_before_its_download_began_holds_no_share() throws Exception {
        ObjectRelay relay = relay(store(request -> request.response().end(Buffer.buffer(OBJECT))), 4, 5000, 1);
        Router router = Router.router(vertx);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        router.get().handler(ctx -> {
            ctx.setUser(Callers.user(new Caller("a", "default", Set.of(Scope.JOBS_READ))));
            ctx.request().connection().closeHandler(closed -> { // the look-up ends after the client left
                relay.send(ctx, FILE, FileAnswer.WHOLE);
                sent.complete(null);
            });
        });
        int port = listen(vertx.createHttpServer().requestHandler(router));
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(("GET /jobs/job/output HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Key: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
        }
        sent.get(10, TimeUnit.SECONDS);

        String api = api(relay, FileAnswer.WHOLE);
        assertEquals(200, client.send(keyed(api, "a"), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "the key's one share is free");
    }

    private static HttpRequest keyed(String url, String key) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("X-Key", key).build();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A store whose every object is at its root URL, answered by {@code answer}. */
    private String store(Consumer<HttpServerRequest> answer) throws Exception {
        return "http://127.0.0.1:" + listen(vertx.createHttpServer().requestHandler(answer::accept)) + "/";
    }

    private ObjectRelay relay(String store, int connections, int waitMillis) {
        return relay(store, connections, waitMillis, Integer.MAX_VALUE);
    }

    private ObjectRelay relay(String store, int connections, int waitMillis, int maxPerKey) {
        Storage storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("presign")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return URI.create(store + args[0]);
                });
        return new ObjectRelay(storage, vertx, "proxy", connections, waitMillis, maxPerKey);
    }

    /**
     * An API that answers every GET with {@code answer} of {@link #FILE}, as ProxiedDownloads does, to the caller the
     * access check would find: the key named in {@code X-Key}, if any.
     */
    private String api(ObjectRelay relay, FileAnswer answer) throws Exception {
        Router router = Router.router(vertx);
        router.get().handler(ctx -> {
            String key = ctx.request().getHeader("X-Key");
            ctx.setUser(Callers.user(key == null ? Caller.keyless() : new Caller(key, "default",
                    Set.of(Scope.JOBS_READ))));
            relay.send(ctx, FILE, answer);
        });
        return "http://127.0.0.1:" + listen(vertx.createHttpServer().requestHandler(router)) + "/jobs/job/output";
    }

    private static int listen(HttpServer server) throws Exception {
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }
}
