package io.videotranscoder.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.videotranscoder.events.EventSink;
import io.videotranscoder.events.SentEvent;
import io.videotranscoder.events.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    private final Consumer<EventResponse> onDone;
    private final AtomicBoolean done = new AtomicBoolean();
    private Subscription subscription;
    private long timer = -1;
    /**
     * Where the stream stands as written (on the context): the last event written, or where it moved since without
     * one. Never ahead of an event not yet written, so that a client that resumes from a keep-alive's id misses none.
     */
    private String position;

    /** @param onDone runs once, when the answer is over, whoever ended it (the client, the stream, a refusal) */
    EventResponse(RoutingContext ctx, Duration keepAlive, Consumer<EventResponse> onDone) {
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
        timer = ctx.vertx().setPeriodic(keepAlive.toMillis(), t -> write(position == null
                ? EventFrames.comment("keep-alive") : EventFrames.keepAlive(position)));
    }

    @Override
    public void send(SentEvent event) {
        context.runOnContext(v -> {
            write(EventFrames.event(event));
            position = event.id();
        });
    }

    @Override
    public void moved(String id) {
        context.runOnContext(v -> position = id);
    }

    @Override
    public void end() {
        close();
    }

    /**
     * Ends the answer after the frames handed over before, on a whole frame; one not begun yet is a 503 (the service
     * is stopping). The future completes once the end is written, or at once when there is nothing to end.
     */
    Future<Void> close() {
        Promise<Void> ended = Promise.promise();
        context.runOnContext(v -> {
            HttpServerResponse response = ctx.response();
            if (response.ended() || response.closed()) {
                ended.complete();
            } else if (!response.headWritten()) {
                finish(); // the stream's beginning, still being read, finds it over
                response.putHeader("Retry-After", "1");
                RouterErrors.problem(ctx, 503, EventStreams.STOPPING);
                ended.complete();
            } else {
                response.end().onComplete(ended);
            }
            finish();
        });
        return ended.future();
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
            onDone.accept(this);
        }
    }
}
