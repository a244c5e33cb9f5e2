package io.videotranscoder.http;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What no route took: a path the API serves, asked with another method, is a 405 naming the methods it takes in
 * {@code Allow} (RFC 9110); any other path a 404. Read from the router's routes when asked, so that it holds whichever
 * flows this role loaded.
 */
final class UnservedPaths {

    /** A path parameter in a Vert.x route's path: {@code :id}. */
    private static final Pattern PATH_PARAMETER = Pattern.compile(":[A-Za-z0-9_]+");

    private UnservedPaths() {
    }

    static void notFoundOrNotAllowed(RoutingContext ctx, Router router) {
        Set<String> allowed = allowedMethods(router, ctx.normalizedPath());
        if (allowed.isEmpty()) {
            ctx.response().setStatusCode(404);
        } else {
            ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
        }
        RouterErrors.answer(ctx);
    }

    /**
     * The path as the router matches it to routes: without its trailing slashes ({@code /jobs/} is routed as
     * {@code /jobs}), but for the root.
     */
    static String routed(String path) {
        return path.replaceAll("(?<=.)/+$", "");
    }

    /** The methods of every route whose path ({@code /jobs/:id}) matches {@code path}, in name order. */
    static Set<String> allowedMethods(Router router, String sent) {
        String path = routed(sent);
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
}
