package io.videotranscoder.http;

import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;

/**
 * A path with a dot segment ({@code .} or {@code ..}, written as such or percent-encoded) is refused (400) before
 * anything reads it, naming the path to ask for instead. Vert.x routes by the normalized path, with such segments
 * removed, while a check that read the path as sent would judge another one: {@code /docs/../admin/keys} is open to
 * anyone by its first segment and served as {@code /admin/keys}. The service's own checks read the normalized path
 * too; what else normalizing does (doubled slashes merged, as a base URL ending in a slash gives; unreserved
 * characters decoded) changes no segment's meaning, and is served.
 */
final class DotSegments {

    /** Before every other handler: CORS's preflights ({@link CrossOrigin}) included. */
    static final int ORDER = -2100;
    /** A segment that is {@code .} or {@code ..}, each dot as itself or as {@code %2e}. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(?i)(^|/)(\\.|%2e){1,2}(/|$)");

    private DotSegments() {
    }

    static void refuse(RoutingContext ctx) {
        String sent = ctx.request().path();
        if (sent == null || !DOT_SEGMENT.matcher(sent).find()) {
            ctx.next();
            return;
        }
        RouterErrors.refuseUnread(ctx, 400, "The path has a . or .. segment: ask for " + ctx.normalizedPath()
                                            + " instead.");
    }
}
