package io.videotranscoder.http;

import java.util.Objects;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A request's path must be the one the router matches: Vert.x routes by the normalized path (dot segments removed,
 * doubled slashes merged, percent-encoded letters and digits decoded), while a check that reads the path as sent
 * (which paths anyone may read, which bodies stream to disk) would judge another one: {@code /docs/../admin/keys} is
 * open to anyone by its first segment and served as {@code /admin/keys}. So a path that normalizes to something else
 * is refused before anything reads it (400), naming the path to ask for instead.
 */
final class NormalPaths {

    /** Before every other handler: CORS's preflights ({@link CrossOrigin}) included. */
    static final int ORDER = -2100;

    private NormalPaths() {
    }

    static void refuseOthers(RoutingContext ctx) {
        String normal = ctx.normalizedPath();
        if (Objects.equals(ctx.request().path(), normal)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the body, if any, is not read
        RouterErrors.problem(ctx, 400, "The path is not in its plain form (a . or .. segment, a doubled slash, or a"
                                       + " percent-encoded letter or digit): ask for " + normal + " instead.");
    }
}
