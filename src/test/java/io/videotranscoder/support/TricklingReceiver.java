package io.videotranscoder.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A webhook receiver on loopback that answers 200 at once, then a chunked body that never ends: a byte every 50 ms,
 * until the caller hangs up. It counts the requests it took and the connections the caller closed.
 */
public final class TricklingReceiver implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger hungUp = new AtomicInteger();

    public TricklingReceiver() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            var response = request.response().setChunked(true).setStatusCode(200);
            response.write("{");
            long trickle = vertx.setPeriodic(50, tick -> response.write(" "));
            request.connection().closeHandler(closed -> {
                vertx.cancelTimer(trickle);
                hungUp.incrementAndGet();
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public int requests() {
        return requests.get();
    }

    /** Connections closed by the caller, each while its body was still coming. */
    public int hungUp() {
        return hungUp.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
