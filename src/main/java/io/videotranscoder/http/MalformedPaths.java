package io.videotranscoder.http;

import java.util.regex.Pattern;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * A path Vert.x cannot decode ({@code /jobs/%zz}: a % not followed by two hexadecimal digits) fails on the server's own
 * router, which platform-http mounts the API's router under, before any of the API's handlers: it was answered a bare
 * "Bad Request" and logged as an error with its stack trace, once per request, for any client to fill the log with.
 * It is answered in problem JSON, as every refusal is, and not logged.
 */
final class MalformedPaths {

    /** A % that does not begin an escape. */
    private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private MalformedPaths() {
    }

    /** Answers the 400s of the router of the server on {@code port} (none where platform-http serves it otherwise). */
    static void answer(CamelContext context, int port) {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            Handler<HttpServerRequest> handler = server.getServer() == null ? null
                    : server.getServer().requestHandler();
            if (server.getPort() == port && handler instanceof Router outer) {
                outer.errorHandler(400, MalformedPaths::refuse);
            }
        }
    }

    private static void refuse(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        RouterErrors.typesAsSent(ctx.response()); // this router runs none of the API router's handlers
        RouterErrors.problem(ctx, 400, BAD_ESCAPE.matcher(ctx.request().path()).find()
                ? "The path is malformed (a % not followed by two hexadecimal digits): encode it."
                : "The request is malformed.");
    }
}
