package io.videotranscoder.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * A connection must bring a whole request head within a deadline of opening, and of its last answer. Vert.x closes
 * only connections that carry nothing for {@link Http1Vertx#IDLE_TIMEOUT_SECONDS}, so a client that sends a byte of
 * its head every minute would hold a connection, and a file descriptor, for ever (slowloris); nginx's
 * {@code client_header_timeout} and Go's {@code ReadHeaderTimeout} bound the same wait. Each connection is armed as
 * it opens ({@link Http1Vertx}); a request whose head arrived disarms it until its answer ends (a long upload or an
 * event stream is not cut), and a keep-alive connection is armed again for its next request.
 */
public final class HeadDeadlines implements StartupListener {

    /** Before everything else a server's router does. */
    static final int ORDER = -2200;

    private final long millis;
    private final Map<HttpConnection, Long> armed = new ConcurrentHashMap<>();
    /** The request each connection serves now: a pipelined one may begin before the last one's end handlers run. */
    private final Map<HttpConnection, HttpServerRequest> serving = new ConcurrentHashMap<>();

    public HeadDeadlines(Duration deadline) {
        this.millis = deadline.toMillis();
    }

    /** A connection opened on {@code vertx}: closed unless a request head arrives in time. */
    void opened(Vertx vertx, HttpConnection connection) {
        connection.closeHandler(closed -> {
            disarm(vertx, connection);
            serving.remove(connection);
        });
        arm(vertx, connection);
    }

    private void arm(Vertx vertx, HttpConnection connection) {
        long timer = vertx.setTimer(millis, t -> {
            if (armed.remove(connection, t)) {
                connection.close();
            }
        });
        Long before = armed.put(connection, timer);
        if (before != null) {
            vertx.cancelTimer(before);
        }
    }

    private void disarm(Vertx vertx, HttpConnection connection) {
        Long timer = armed.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * The head arrived: off the clock until the answer ends, then on it again for the next head (and for what is left
     * unread of this request's body, when it was answered early, e.g. refused), unless a pipelined request has begun
     * meanwhile or the connection is closing.
     */
    private void headArrived(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        disarm(ctx.vertx(), connection);
        serving.put(connection, request);
        ctx.addEndHandler(answered -> {
            if (serving.remove(connection, request) && !ctx.response().closed()) {
                arm(ctx.vertx(), connection);
            }
        });
        ctx.next();
    }

    /** Every server's router (the API's, the management's) disarms a connection once a request reached it. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            Router router = context.getRegistry().lookupByNameAndType(
                    VertxPlatformHttpRouter.getRouterNameFromPort(server.getPort()), VertxPlatformHttpRouter.class);
            if (router != null) {
                router.route().order(ORDER).handler(this::headArrived);
            }
        }
    }
}
