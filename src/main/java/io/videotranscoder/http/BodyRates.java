package io.videotranscoder.http;

import java.time.Duration;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's body must keep coming: at least {@code minBytesPerSecond} times the window's seconds in every window
 * while the service reads it. Vert.x closes only connections that carry nothing for
 * {@link Http1Vertx#IDLE_TIMEOUT_SECONDS}, so a client sending a byte of its upload a minute would hold the disk
 * room or the place among streaming uploads it was given, and its connection, for as long as the upload limit lets
 * it (slowloris on the body; Kestrel's {@code MinRequestBodyDataRate} and Apache's {@code mod_reqtimeout} bound the
 * same; one that keeps just above the minimum still holds them while its upload lasts). A window in which the
 * service itself stopped reading ({@link #held}: the object store, or a resumable upload's disk, behind) is not
 * judged. A resumable upload's body may besides bring nothing for no longer than a stall time ({@link #resumable}). A
 * body cut off is answered {@code 408} unless an answer has begun, and its connection closed: what it held is given
 * back as when a client goes away. A resumable upload's is closed without an answer, which its client takes as a
 * broken connection and resumes from, the bytes that came kept.
 */
public final class BodyRates implements StartupListener {

    /** Right after {@link HeadDeadlines}: the head has arrived. */
    static final int ORDER = HeadDeadlines.ORDER + 1;
    private static final String WATCH = "transcoder.body-rate";
    private static final Logger LOG = LoggerFactory.getLogger(BodyRates.class);

    private final long minBytesPerWindow;
    private final long windowMillis;
    private final long stallMillis;
    private final int port;

    /**
     * @param minBytesPerSecond 0: bodies are not timed
     * @param stall             how long a resumable upload's body may bring nothing ({@link #resumable}); 0: any time
     * @param port              the API's port: only its routes take bodies
     */
    public BodyRates(long minBytesPerSecond, Duration window, Duration stall, int port) {
        this.windowMillis = window.toMillis();
        this.minBytesPerWindow = minBytesPerSecond * windowMillis / 1000;
        this.stallMillis = stall.toMillis();
        this.port = port;
    }

    /**
     * {@code ctx}'s body is a resumable upload's: cut off by closing its connection without an answer (see cut), and
     * also once it brings no byte for the stall time while the service reads it, the bytes that came kept. A connection
     * gone without a word (a laptop asleep, a phone from one network to another) would otherwise hold the upload's
     * write lock until the rate's window judged it, and its client, back on another connection, meet a locked upload
     * (423) for longer than it tries again.
     */
    public static void resumable(RoutingContext ctx) {
        Watch watch = ctx.get(WATCH);
        if (watch != null) {
            watch.stallWatched();
        }
    }

    /**
     * The service stops reading {@code ctx}'s body ({@code true}: it has more than it can take now) or reads it again.
     * A window in which it stopped is not judged.
     */
    public static void held(RoutingContext ctx, boolean held) {
        Watch watch = ctx.get(WATCH);
        if (watch != null) {
            watch.held(held);
        }
    }

    private void watch(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if ((minBytesPerWindow > 0 || stallMillis > 0) && !request.isEnded() && BodyGuards.hasBody(request)) {
            Watch watch = new Watch(ctx);
            ctx.put(WATCH, watch);
            if (minBytesPerWindow > 0) {
                long timer = ctx.vertx().setPeriodic(windowMillis, watch::check);
                ctx.addEndHandler(answered -> ctx.vertx().cancelTimer(timer));
            }
        }
        ctx.next();
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** One body's count, read on its connection's event loop. */
    private final class Watch {

        private final RoutingContext ctx;
        private long atWindowStart;
        private boolean held;
        /** The service stopped reading at some time in this window. */
        private boolean heldInWindow;

        /** A resumable upload's body: cut off by closing its connection, which its client resumes from. */
        private boolean resumable;
        /** The body's count at its last look for a stall, and when it last moved (or the service held it). */
        private long atLastLook;
        private long movedAt;

        Watch(RoutingContext ctx) {
            this.ctx = ctx;
            this.atWindowStart = ctx.request().bytesRead();
        }

        void held(boolean now) {
            held = now;
            heldInWindow |= now;
        }

        void stallWatched() {
            resumable = true;
            if (stallMillis == 0) {
                return;
            }
            atLastLook = ctx.request().bytesRead();
            movedAt = System.nanoTime();
            long timer = ctx.vertx().setPeriodic(Math.max(1, stallMillis / 4), this::lookForStall);
            ctx.addEndHandler(answered -> ctx.vertx().cancelTimer(timer));
        }

        private void lookForStall(long timer) {
            HttpServerRequest request = ctx.request();
            long read = request.bytesRead();
            if (request.isEnded() || ctx.response().closed() || ctx.response().ended()) {
                ctx.vertx().cancelTimer(timer);
            } else if (held || read != atLastLook) {
                atLastLook = read;
                movedAt = System.nanoTime();
            } else if (System.nanoTime() - movedAt >= stallMillis * 1_000_000) {
                ctx.vertx().cancelTimer(timer);
                LOG.warn("{} {}: no byte of the body for {} s (TRANSCODER_BODY_STALL_SECONDS): cut off",
                        request.method(), request.path(), seconds(stallMillis));
                ctx.request().connection().close(); // resumable: see cut
            }
        }

        void check(long timer) {
            HttpServerRequest request = ctx.request();
            long read = request.bytesRead();
            if (request.isEnded() || ctx.response().closed()) {
                ctx.vertx().cancelTimer(timer);
            } else if (heldInWindow || read - atWindowStart >= minBytesPerWindow) {
                heldInWindow = held;
                atWindowStart = read;
            } else {
                ctx.vertx().cancelTimer(timer);
                cut(read - atWindowStart);
            }
        }

        /**
         * A resumable upload's connection is closed without an answer: tus clients resume after a broken connection,
         * and give up on a 408 (tus-js-client retries 409, 423, 5xx and network errors only).
         */
        private void cut(long arrived) {
            String seconds = seconds(windowMillis);
            LOG.warn("{} {}: {} bytes of the body in {} s, fewer than {}: cut off", ctx.request().method(),
                    ctx.request().path(), arrived, seconds, minBytesPerWindow);
            if (resumable || ctx.response().ended() || ctx.response().headWritten()) {
                ctx.request().connection().close();
            } else {
                RouterErrors.refuseUnread(ctx, 408, "The request body arrived too slowly: " + arrived + " bytes in "
                        + seconds + " s, where this server needs at least " + minBytesPerWindow
                        + " (TRANSCODER_MIN_BODY_BYTES_PER_SECOND). The connection is closed; send it again.");
            }
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        var router = RouterErrors.apiRouter(context, port);
        if (router != null) {
            router.route().order(ORDER).handler(this::watch);
        }
    }
}
