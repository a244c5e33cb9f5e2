package io.videotranscoder.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.events.EventId;
import io.videotranscoder.events.EventSink;
import io.videotranscoder.events.SentEvent;
import io.videotranscoder.events.Subscription;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One open event stream's answer: {@code text/event-stream}, written on its connection's context in the order the
 * events were handed over, with a comment every {@code keepAlive} while nothing else is sent. A client that does not
 * read what it is sent is cut off rather than buffered for: it reconnects and is replayed what it missed.
 */
final class EventResponse implements EventSink {

    private static final Duration RECONNECT = Duration.ofSeconds(3);

    private final RoutingContext ctx;
    private final Context context;
    private final Duration keepAlive;
    private final Runnable onDone;
    private final AtomicBoolean done = new AtomicBoolean();
    private Subscription subscription;
    private long timer = -1;

    /** @param onDone runs once, when the answer is over, whoever ended it (the client, the stream, a refusal) */
    EventResponse(RoutingContext ctx, Duration keepAlive, Runnable onDone) {
        this.ctx = ctx;
        this.context = ctx.vertx().getOrCreateContext();
        this.keepAlive = keepAlive;
        this.onDone = onDone;
        ctx.response().closeHandler(v -> finish());
    }

    /** On the connection's context: the subscription that feeds this answer, closed with it (at once if it is). */
    void attach(Subscription fed) {
        subscription = fed;
        if (done.get()) {
            fed.close();
        }
    }

    /** On the connection's context: the headers, the reconnection delay, and {@code first} (frames, or nothing). */
    void begin(String first) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EventFrames.CONTENT_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold events back
        write(EventFrames.retry(RECONNECT) + first);
        timer = ctx.vertx().setPeriodic(keepAlive.toMillis(), t -> {
            EventId position = subscription.position();
            write(position == null ? EventFrames.comment("keep-alive") : EventFrames.keepAlive(position.toString()));
        });
    }

    @Override
    public void send(SentEvent event) {
        context.runOnContext(v -> write(EventFrames.event(event)));
    }

    @Override
    public void end() {
        context.runOnContext(v -> {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().end();
            }
            finish();
        });
    }

    private void write(String frame) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.writeQueueFull()) {
            ctx.request().connection().close(); // the closeHandler finishes
            return;
        }
        response.write(frame);
    }

    /** Whether the answer is over. */
    boolean finished() {
        return done.get();
    }

    /** On the connection's context: the answer is over (ended, refused, or its client gone). */
    void finish() {
        if (done.compareAndSet(false, true)) {
            if (timer >= 0) {
                ctx.vertx().cancelTimer(timer);
            }
            if (subscription != null) {
                subscription.close();
            }
            onDone.run();
        }
    }
}
