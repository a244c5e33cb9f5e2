package io.videotranscoder.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Problem JSON for what the HTTP server refuses before any route runs: unknown paths (404), wrong methods (405), bodies
 * over the size limit (413) or of unknown length (411), malformed multipart bodies (400). Without it Vert.x answers in
 * HTML or text, or, for a multipart body cut short, not at all.
 */
public class RouterErrors implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(RouterErrors.class);
    static final long MAX_PLAIN_BODY_BYTES = 64 * 1024;
    private static final long LATE_UPLOAD_MILLIS = 1000;
    /** A path parameter in a Vert.x route's path: {@code :id}. */
    private static final Pattern PATH_PARAMETER = Pattern.compile(":[A-Za-z0-9_]+");
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
        router.route().order(-1000).failureHandler(RouterErrors::answer);
        router.route().order(-999).handler(ctx -> answerCutBodies(ctx, cutBodyDeadline.toMillis()));
        router.route().order(-997).handler(RouterErrors::removeUploadsAtEnd);
        router.route().order(-998).handler(RouterErrors::refuseLargePlainBodies);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> notFoundOrNotAllowed(ctx, router));
    }

    /**
     * What no route took: a path the API serves, asked with another method, is a 405 naming the methods it takes in
     * {@code Allow} (RFC 9110); any other path a 404. Read from the router's routes when asked, so that it holds
     * whichever flows this role loaded.
     */
    static void notFoundOrNotAllowed(RoutingContext ctx, Router router) {
        Set<String> allowed = allowedMethods(router, ctx.request().path());
        if (allowed.isEmpty()) {
            ctx.response().setStatusCode(404);
        } else {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
        }
        answer(ctx);
    }

    /** The methods of every route whose path ({@code /jobs/:id}) matches {@code path}, in name order. */
    static Set<String> allowedMethods(Router router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && template(route.getPath()).matcher(path).matches()) {
                route.methods().forEach(method -> methods.add(method.name()));
            }
        }
        return methods;
    }

    private static Pattern template(String routePath) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PATH_PARAMETER.matcher(routePath);
        int literal = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(routePath.substring(literal, parameter.start()))).append("[^/]+");
            literal = parameter.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(routePath.substring(literal))).toString());
    }

    /** The router platform-http made for the API's port; null in a process without the API. */
    static Router apiRouter(CamelContext context, int port) {
        return context.getRegistry().lookupByNameAndType(VertxPlatformHttpRouter.getRouterNameFromPort(port),
                VertxPlatformHttpRouter.class);
    }

    /**
     * A multipart body cut short leaves Vert.x waiting for a part that never ends, although the request is over. Once
     * a request has arrived whole, an answer starts within milliseconds (seconds while Redis times out); one that has
     * not started by the deadline never will.
     */
    static void answerCutBodies(RoutingContext ctx, long deadlineMillis) {
        if (!isMultipartForm(ctx.request())) {
            ctx.next(); // only a multipart body can leave Vert.x waiting; a timer per request would hold every context
            return;
        }
        ctx.request().end().onSuccess(v -> {
            if (ctx.response().ended()) {
                return; // answered before the body was over, e.g. a 413
            }
            long timer = ctx.vertx().setTimer(deadlineMillis, t -> answerIfSilent(ctx, deadlineMillis));
            ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        });
        ctx.next();
    }

    /**
     * Whatever the answer, a request's uploaded files are gone once it is given: a job's file has been moved into the
     * job's folder by then, and every other one is a refused request's. Vert.x's own clean-up is not enough: when a
     * body has too many parts it stops at the first part already written (its cancel throws) and never runs again,
     * and a part's file is created asynchronously, possibly after the answer; so the files are deleted at the end
     * and once more a second later.
     */
    static void removeUploadsAtEnd(RoutingContext ctx) {
        if (isMultipartForm(ctx.request())) {
            ctx.addEndHandler(done -> {
                List<String> files = ctx.fileUploads().stream().map(FileUpload::uploadedFileName).toList();
                deleteQuietly(ctx.vertx(), files);
                ctx.vertx().setTimer(LATE_UPLOAD_MILLIS, t -> deleteQuietly(ctx.vertx(), files));
            });
        }
        ctx.next();
    }

    private static void deleteQuietly(Vertx vertx, List<String> files) {
        for (String file : files) {
            vertx.fileSystem().delete(file); // a file already moved or deleted is no failure worth a word
        }
    }

    /**
     * Only multipart/form-data bodies stream to disk; any other body is held in the heap whole before a route sees it.
     * The API takes no other body larger than a few bytes, so a larger one is refused before it is read (and the
     * connection closed, so that it is not read either): a 1 GiB body sent as application/octet-stream would
     * otherwise exhaust the heap.
     */
    static void refuseLargePlainBodies(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (isMultipartForm(request)) {
            ctx.next();
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            problem(ctx, 411, "A body of unknown length is taken only as a multipart/form-data upload; "
                              + "send a Content-Length.");
        } else if (length != null && parseLength(length) > MAX_PLAIN_BODY_BYTES) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            problem(ctx, 413, "A body other than a multipart/form-data upload may be at most " + MAX_PLAIN_BODY_BYTES
                              + " bytes; send files as the \"file\" part of a multipart/form-data request.");
        } else {
            ctx.next();
        }
    }

    private static boolean isMultipartForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** An unreadable length is left for Vert.x to refuse. */
    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void answerIfSilent(RoutingContext ctx, long deadlineMillis) {
        if (!ctx.response().ended() && !ctx.response().headWritten()) {
            LOG.warn("{} {}: no answer {} ms after the request ended; its body is incomplete", ctx.request().method(),
                    ctx.request().path(), deadlineMillis);
            ctx.fileUploads().forEach(upload -> ctx.vertx().fileSystem().delete(upload.uploadedFileName()));
            ctx.response().setStatusCode(400);
            answer(ctx);
        }
    }

    static void answer(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (tooManyParts(ctx.failure())) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not read
            problem(ctx, 400, "The multipart body has more parts than this server accepts (transcoder.max-form-parts);"
                              + " send the 'file' part and the few form fields only.");
            return;
        }
        int status = ctx.failed() ? (ctx.statusCode() > 0 ? ctx.statusCode() : 500) : ctx.response().getStatusCode();
        String detail = switch (status) {
            case 404 -> "There is nothing at " + ctx.request().path() + ".";
            case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path() + ".";
            case 413 -> "The upload is larger than this server accepts.";
            case 400 -> "The request body is malformed or incomplete"
                        + (ctx.failure() == null ? "." : ": " + ctx.failure().getMessage());
            default -> "The service failed to handle this request; it has been logged.";
        };
        if (status == 500) {
            LOG.error("Request {} {} failed before reaching a route", ctx.request().method(), ctx.request().path(),
                    ctx.failure());
        }
        problem(ctx, status, detail);
    }

    /** Vert.x stops decoding a multipart body past HttpServerOptions' form-field limit, which counts file parts too. */
    private static boolean tooManyParts(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
                return true;
            }
        }
        return false;
    }

    static void problem(RoutingContext ctx, int status, String detail) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.CONTENT_TYPE)
                .end(Problem.of(status, detail, ctx.request().path()).json());
    }
}
