package io.videotranscoder.http;

import java.time.Duration;
import java.util.List;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Problem JSON for what the HTTP server refuses before any route runs: unknown paths (404) and wrong methods (405,
 * {@link UnservedPaths}), bodies over the size limit (413) or of unknown length (411, {@link BodyGuards}), malformed
 * multipart bodies (400, here) and those cut short ({@link CutBodies}). Without it Vert.x answers in HTML or text, or,
 * for a multipart body cut short, not at all. It installs those handlers on the API's router once Camel has started.
 */
public class RouterErrors implements StartupListener {

    /** The names of the API's path parameters ({@code /jobs/{id}/outputs/{name}}, ...). */
    private static final List<String> PATH_PARAMETERS = List.of("id", "name");
    /** How long an answer that closes its connection has to reach its client before the connection goes. */
    private static final long CLOSE_LINGER_MILLIS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RouterErrors.class);
    /** The 507 of an upload whose file the disk did not take, wherever that is found. */
    static final String UPLOAD_NOT_KEPT = "This server's disk did not take the upload (the disk filled meanwhile, or"
                                          + " failed): none of it was kept. Try again later.";
    /** Set once the answer to a failure has been put off for the cause that follows it. */
    private static final String DEFERRED = "transcoder.failure-deferred";

    private final int port;
    private final Duration cutBodyDeadline;

    /** @param cutBodyDeadline how long after a multipart request ended an answer may take before it is a 400 */
    public RouterErrors(int port, Duration cutBodyDeadline) {
        this.port = port;
        this.cutBodyDeadline = cutBodyDeadline;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        // The router Camel exposes is mounted under the server's own: error handlers set here are never asked, so
        // failures are caught by a failure handler on every route, and unknown paths by a last catch-all route.
        router.route().order(DotSegments.ORDER - 2).handler(ctx -> {
            typesAsSent(ctx.response());
            Replies.storedByNoCache(ctx);
            ctx.next();
        });
        router.route().order(DotSegments.ORDER - 1).handler(RouterErrors::closeWhenAnsweredSo);
        router.route().order(DotSegments.ORDER).handler(DotSegments::refuse);
        router.route().order(DotSegments.ORDER + 1).handler(RouterErrors::dropPathNames);
        router.route().order(-1000).failureHandler(RouterErrors::answer);
        router.route().order(-999).handler(ctx -> CutBodies.answerCutBodies(ctx, cutBodyDeadline.toMillis()));
        router.route().order(-997).handler(BodyGuards::removeUploadsAtEnd);
        router.route().order(-998).handler(BodyGuards::refuseLargePlainBodies);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> UnservedPaths.notFoundOrNotAllowed(ctx, router));
        MalformedPaths.answer(context, port);
    }

    /**
     * Every answer is to be taken as the type it says (a playlist, a poster, problem JSON), never sniffed for another
     * (HTML, script), whatever a file's bytes hold.
     */
    static void typesAsSent(HttpServerResponse response) {
        response.putHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * Closes the connection soon after an answer that says {@code Connection: close} is sent. Vert.x keeps a connection
     * for the next request unless the request asked otherwise, whatever the answer says: after a body refused unread
     * (413, 411, 503, 507) the client would go on sending it, and the server reading it, however large. Not at once:
     * a close with the client's bytes unread resets the connection, and a client that had not read the answer yet
     * would lose it (RFC 9112, 9.6); a second lets it read it.
     */
    private static void closeWhenAnsweredSo(RoutingContext ctx) {
        ctx.addEndHandler(answered -> {
            if ("close".equalsIgnoreCase(ctx.response().headers().get(HttpHeaders.CONNECTION))) {
                HttpConnection connection = ctx.request().connection();
                ctx.vertx().setTimer(CLOSE_LINGER_MILLIS, t -> connection.close());
            }
        });
        ctx.next();
    }

    /**
     * Drops a query parameter or header named as a path's parameter ({@code id}, {@code name}): platform-http gives a
     * route all three under one header, which became a list, and {@code GET /jobs/<id>?id=1} found no job. No call
     * takes a parameter of those names but in its path.
     */
    private static void dropPathNames(RoutingContext ctx) {
        for (String name : PATH_PARAMETERS) {
            ctx.queryParams().remove(name);
            ctx.request().headers().remove(name);
        }
        ctx.next();
    }

    /** The router platform-http made for the API's port; null in a process without the API. */
    public static Router apiRouter(CamelContext context, int port) {
        return context.getRegistry().lookupByNameAndType(VertxPlatformHttpRouter.getRouterNameFromPort(port),
                VertxPlatformHttpRouter.class);
    }

    /** Answers in problem JSON with the status the request failed or was given, unless an answer has begun. */
    static void answer(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten() || ctx.response().closed()
            || RequestFailures.clientGone(ctx.failure())) {
            return; // answered, or no one to answer
        }
        if (RequestFailures.partCancelled(ctx.failure())) {
            // Vert.x's body handler cancels the parts being written when it gives up on a body (too many parts, a
            // malformed one), and the cancel can fail the request before the cause does, or without it: answer once
            // the cause had its turn, and as the client's fault either way.
            if (ctx.get(DEFERRED) == null) {
                ctx.put(DEFERRED, Boolean.TRUE);
                ctx.vertx().setTimer(50, later -> answer(ctx));
                return;
            }
            refuseUnread(ctx, 400, "The multipart body could not be read to its end: it has more parts than this "
                                   + "server accepts (transcoder.max-form-parts), or is malformed.");
            return;
        }
        if (RequestFailures.diskFull(ctx.failure())) {
            // Room was held for the upload, but something else filled the disk meanwhile: no answer came, and the
            // client waited for the cut body's deadline to be told its body was incomplete.
            refuseUnread(ctx, 507, UPLOAD_NOT_KEPT); // not the failure's own words: they name the server's folders
            return;
        }
        if (RequestFailures.fieldTooLarge(ctx.failure())) {
            refuseUnread(ctx, 400, "A form field is larger than this server accepts ("
                                   + HttpServerOptions.DEFAULT_MAX_FORM_ATTRIBUTE_SIZE + " bytes): send the video as"
                                   + " the 'file' part, with a file name (curl -F file=@clip.mp4).");
            return;
        }
        if (RequestFailures.tooManyParts(ctx.failure())) {
            refuseUnread(ctx, 400, "The multipart body has more parts than this server accepts "
                                   + "(transcoder.max-form-parts); send the 'file' part and the few form fields only.");
            return;
        }
        int status = ctx.failed() ? (ctx.statusCode() > 0 ? ctx.statusCode() : 500) : ctx.response().getStatusCode();
        String detail = switch (status) {
            case 404 -> "There is nothing at " + ctx.request().path() + ".";
            case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path() + ".";
            case 413 -> "The upload is larger than this server accepts.";
            case 400 -> RequestFailures.malformedQuery(ctx.request().uri())
                    ? "The query string is malformed (a % not followed by two hexadecimal digits): encode it."
                    : "The request body is malformed or incomplete"
                      + (ctx.failure() == null ? "." : ": " + ctx.failure().getMessage());
            case 417 -> "The Expect header asks for what this server does not do: only 100-continue is understood.";
            default -> status < 500 ? "The request was refused: " + HttpResponseStatus.valueOf(status).reasonPhrase()
                                      + "."
                    : "The service failed to handle this request; it has been logged.";
        };
        if (status == 500) {
            LOG.error("Request {} {} failed before reaching a route", ctx.request().method(), ctx.request().path(),
                    ctx.failure());
        }
        problem(ctx, status, detail);
    }

    /** A refusal of the core, answered as the routes answer it (a 400 for a field names the field). */
    static void refused(RoutingContext ctx, Refusal refusal) {
        Problem problem = Problem.of(refusal, ctx.request().path());
        Problems.retryAfter(refusal).ifPresent(seconds -> ctx.response().putHeader(HttpHeaders.RETRY_AFTER, seconds));
        ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.CONTENT_TYPE)
                .end(problem.json());
    }

    /**
     * A failure of the service's where a handler answers before the routes, answered as the routes answer it: a 503
     * while Redis or the object store cannot be reached, otherwise a 500 ({@link #answer}).
     */
    static void failed(RoutingContext ctx, Throwable cause) {
        Problems.unavailable(cause, ctx.request().path()).ifPresentOrElse(problem -> ctx.response()
                .setStatusCode(problem.status()).putHeader(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_SECONDS)
                .putHeader("Content-Type", Problem.CONTENT_TYPE).end(problem.json()), () -> ctx.fail(cause));
    }

    /**
     * Answers a request whose body is not read (or not read to its end) and closes its connection after the answer
     * ({@link #closeWhenAnsweredSo}), so that the rest of the body is never read either. A file part being written
     * to disk is cancelled (and its file deleted) first, once: Vert.x would cancel it again as the connection closes,
     * after its file was closed, and throw on the event loop.
     */
    static void refuseUnread(RoutingContext ctx, int status, String detail) {
        ctx.cancelAndCleanupFileUploads();
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        problem(ctx, status, detail);
    }

    /** As {@link #refuseUnread(RoutingContext, int, String)}, for a refusal of the core. */
    static void refuseUnread(RoutingContext ctx, Refusal refusal) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        refused(ctx, refusal);
    }

    static void problem(RoutingContext ctx, int status, String detail) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.CONTENT_TYPE)
                .end(Problem.of(status, detail, ctx.request().path()).json());
    }
}
