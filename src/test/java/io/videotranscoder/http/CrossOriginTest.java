package io.videotranscoder.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allowed-origins setting: read once at start, so that a typo stops the start instead of silently allowing none. */
class CrossOriginTest {

    @Test
    void blank_is_off() {
        assertEquals(List.of(), CrossOrigin.origins(""));
        assertEquals(List.of(), CrossOrigin.origins(" , "));
    }

    @Test
    void origins_are_normalised_and_a_star_allows_any() {
        assertEquals(List.of("https://player.example", "http://localhost:3000"),
                CrossOrigin.origins(" HTTPS://Player.Example:443/ ,http://localhost:3000"));
        assertEquals(List.of("*"), CrossOrigin.origins("https://a.example, *"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"player.example", "https://player.example/page", "ftp://player.example",
            "https://user@player.example", "https://player.example?x=1", "https://"})
    void what_is_not_an_origin_stops_the_start(String setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrossOrigin.origins(setting));
        assertTrue(e.getMessage().startsWith(CrossOrigin.SETTING + ": '" + setting + "' is not an origin"), e.getMessage());
    }

    @Test
    void vary_names_origin_once() {
        MultiMap none = MultiMap.caseInsensitiveMultiMap();
        CrossOrigin.varyByOrigin(none);
        assertEquals(List.of("Origin"), none.getAll("Vary"));
        MultiMap saidByVertx = MultiMap.caseInsensitiveMultiMap().add("vary", "Accept-Encoding,origin");
        CrossOrigin.varyByOrigin(saidByVertx);
        assertEquals(List.of("Accept-Encoding,origin"), saidByVertx.getAll("Vary"));
    }

    @Test
    void a_request_origin_is_compared_normalised() {
        CrossOrigin cors = new CrossOrigin(0, CrossOrigin.origins("https://player.example"));
        assertTrue(cors.allows("https://player.example"));
        assertTrue(cors.allows("https://PLAYER.example:443"));
        assertFalse(cors.allows("http://player.example"), "another scheme is another origin");
        assertFalse(cors.allows("https://player.example.evil"));
        assertFalse(cors.allows("null"));
        assertTrue(new CrossOrigin(0, List.of("*")).allows("https://anywhere.example"));
        assertFalse(new CrossOrigin(0, List.of("*")).allows("moz-extension://0b6a6f5e"), "not a web page's");
        assertTrue(cors.lists("https://PLAYER.example:443"));
        assertFalse(new CrossOrigin(0, List.of("*")).lists("https://anywhere.example"), "* names no origin");
    }

    /**
     * On a real Vert.x server: under {@code *}, a page elsewhere reads the answers to its preflights and to requests
     * its key decided (passed or refused), never one served without a key check, a made-up key header included, which
     * a service that needs no key (protected mode, checks off) would answer with its jobs. A listed origin reads every
     * answer. The access check is the real one's stand-in: checks off, a key checked only for keys beginning "vt_".
     */
    @Test
    void under_a_star_a_page_elsewhere_reads_no_answer_served_without_a_key_check() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int any = serve(vertx, new CrossOrigin(0, List.of("*")));
            int listed = serve(vertx, new CrossOrigin(0, CrossOrigin.origins("https://player.example")));

            assertNull(allowed(any, "GET", "/jobs"), "keyless: no CORS headers");
            assertNull(allowed(any, "GET", "/jobs", "X-API-Key", "made-up"), "a key header nothing checked");
            assertNull(allowed(any, "POST", "/jobs", "X-API-Key", "made-up"));
            assertEquals("*", allowed(any, "GET", "/jobs", "X-API-Key", "vt_checked"));
            assertEquals("*", allowed(any, "GET", "/jobs", "X-API-Key", "vt_refused"), "a refusal the page may read");
            assertEquals("*", allowed(any, "OPTIONS", "/jobs", "Access-Control-Request-Method", "GET",
                    "Access-Control-Request-Headers", "x-api-key"), "a preflight");
            assertEquals("https://player.example", allowed(listed, "GET", "/jobs"));
            HttpResponse<Void> extension = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + any + "/jobs")).header("Origin", "moz-extension://0b6a6f5e")
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, extension.statusCode(), "an extension's request is served as without CORS, not refused");
            assertTrue(extension.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        } finally {
            vertx.close();
        }
    }

    private static int serve(Vertx vertx, CrossOrigin cors) throws Exception {
        Router router = Router.router(vertx);
        cors.mount(router);
        router.route().handler(ctx -> {
            String key = String.valueOf(ctx.request().getHeader("X-API-Key"));
            if (key.equals("vt_refused")) {
                ctx.fail(401);
            } else if (key.startsWith("vt_")) {
                ctx.end("{}");
            } else {
                AccessGuard.serveAsKeyless(ctx);
            }
        });
        router.route().handler(ctx -> ctx.end("{}"));
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** The Access-Control-Allow-Origin of the answer to a request from https://player.example; null when none. */
    private static String allowed(int port, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://player.example");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).headers()
                .firstValue("Access-Control-Allow-Origin").orElse(null);
    }
}
