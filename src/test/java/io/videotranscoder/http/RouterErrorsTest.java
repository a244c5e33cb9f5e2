package io.videotranscoder.http;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the router answers a request that failed before any route ran, on a real Vert.x server: Vert.x fails an upload
 * whose file the disk did not take with the file's own {@link IOException}, which was taken for a client that had
 * gone, and the client waited for the cut body's deadline to be told its body was incomplete.
 */
class RouterErrorsTest {

    static Vertx vertx;
    static HttpServer server;

    @BeforeAll
    static void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().order(-1000).failureHandler(RouterErrors::answer);
        router.post("/full").handler(ctx -> ctx.fail(new IOException("No space left on device")));
        router.post("/expect").handler(BodyHandler.create()).handler(ctx -> ctx.response().end());
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Test
    void an_upload_the_disk_did_not_take_is_answered_507_at_once() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.actualPort() + "/full"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(507, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("disk filled"), answer.body());
        assertEquals("close", answer.headers().firstValue("Connection").orElse(""), "the rest is not read");
    }

    /** Vert.x's body handler refuses an Expect other than 100-continue (417): the client's doing, said so. */
    @Test
    void an_expectation_the_server_does_not_meet_is_the_clients_not_a_failure_of_the_service() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) { // java.net.http sends no Expect
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /expect HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: teapot\r\n"
                    + "Content-Length: 1\r\nConnection: close\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(answer.startsWith("HTTP/1.1 417"), answer);
            assertTrue(answer.contains("only 100-continue is understood"), answer);
        }
    }

    @Test
    void a_failure_of_the_clients_connection_is_not_a_full_disk() {
        assertTrue(RequestFailures.clientGone(new IOException("Connection reset by peer")));
        assertFalse(RequestFailures.clientGone(new IOException("No space left on device")));
        assertTrue(RequestFailures.diskFull(new RuntimeException(new IOException("Disk quota exceeded"))));
    }
}
