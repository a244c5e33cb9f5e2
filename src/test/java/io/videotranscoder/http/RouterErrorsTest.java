package io.videotranscoder.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
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

    @Test
    void a_failure_of_the_clients_connection_is_not_a_full_disk() {
        assertTrue(RequestFailures.clientGone(new IOException("Connection reset by peer")));
        assertFalse(RequestFailures.clientGone(new IOException("No space left on device")));
        assertTrue(RequestFailures.diskFull(new RuntimeException(new IOException("Disk quota exceeded"))));
    }
}
