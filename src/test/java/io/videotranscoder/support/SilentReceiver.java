package io.videotranscoder.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A webhook receiver on loopback that takes each request and never answers it, as a receiver that hangs does. It
 * records when each request came and when its caller hung up.
 */
public final class SilentReceiver implements AutoCloseable {

    private record Held(long from, long[] until) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Held> held = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    public SilentReceiver() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            Held one = new Held(System.nanoTime(), new long[] {Long.MAX_VALUE});
            synchronized (held) {
                held.add(one);
            }
            request.connection().closeHandler(closed -> one.until()[0] = System.nanoTime());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public int requests() {
        return requests.get();
    }

    /**
     * The most requests held at once among those that came after the {@code skip} first, each counted as ended
     * {@code slack} before its hang-up was seen: a caller that hangs up and at once asks again may have its new
     * request seen before the close of the old one.
     */
    public int mostHeld(int skip, Duration slack) {
        List<long[]> spans = new ArrayList<>();
        synchronized (held) {
            for (Held one : held.subList(Math.min(skip, held.size()), held.size())) {
                spans.add(new long[] {one.from(), one.until()[0] - slack.toNanos()});
            }
        }
        int most = 0;
        for (long[] span : spans) {
            int at = 0;
            for (long[] other : spans) {
                at += other[0] <= span[0] && span[0] < other[1] ? 1 : 0;
            }
            most = Math.max(most, at);
        }
        return most;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
