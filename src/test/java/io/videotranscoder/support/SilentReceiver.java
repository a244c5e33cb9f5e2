package io.videotranscoder.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A webhook receiver on loopback that takes each request and never answers it, as a receiver that hangs does. It
 * counts the requests it holds until their caller hangs up, and the most it held at once.
 */
public final class SilentReceiver implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public SilentReceiver() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
            request.connection().closeHandler(closed -> held.decrementAndGet());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public int requests() {
        return requests.get();
    }

    /** The most requests held at once (since {@link #countHeldFromNow}). */
    public int mostHeld() {
        return mostHeld.get();
    }

    /** Counts the most requests held at once again, from those held now. */
    public void countHeldFromNow() {
        mostHeld.set(held.get());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
