package io.videotranscoder.http;

import java.util.Set;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The methods a path is served with come from the routes whose paths match it, and only those. */
class UnservedPathsTest {

    static Vertx vertx;
    static Router router;

    @BeforeAll
    static void routes() {
        vertx = Vertx.vertx();
        router = Router.router(vertx);
        // A route joins the router once it has a handler.
        router.route("/jobs").method(HttpMethod.GET).method(HttpMethod.POST).handler(ctx -> ctx.next());
        router.route("/jobs/:id").method(HttpMethod.GET).handler(ctx -> ctx.next());
        router.route("/jobs/:id").method(HttpMethod.DELETE).handler(ctx -> ctx.next());
        router.route("/jobs/:id/outputs/:name").method(HttpMethod.GET).handler(ctx -> ctx.next());
        router.route("/a.b").method(HttpMethod.GET).handler(ctx -> ctx.next());
        router.route().order(-1000).handler(ctx -> ctx.next()); // no path, no method: never counted
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @Test
    void unions_the_methods_of_every_matching_route() {
        assertEquals(Set.of("GET", "POST"), UnservedPaths.allowedMethods(router, "/jobs"));
        assertEquals(Set.of("DELETE", "GET"), UnservedPaths.allowedMethods(router, "/jobs/42"));
        assertEquals(Set.of("GET"), UnservedPaths.allowedMethods(router, "/jobs/42/outputs/x.m3u8"));
    }

    /** As the router routes {@code /jobs/} to {@code /jobs}: {@code PUT /jobs/} was a 404, {@code PUT /jobs} a 405. */
    @Test
    void a_path_with_a_trailing_slash_has_the_methods_of_the_path_without() {
        assertEquals(Set.of("GET", "POST"), UnservedPaths.allowedMethods(router, "/jobs/"));
        assertEquals(Set.of("DELETE", "GET"), UnservedPaths.allowedMethods(router, "/jobs/42//"));
    }

    @Test
    void a_path_no_route_matches_has_no_methods() {
        assertEquals(Set.of(), UnservedPaths.allowedMethods(router, "/jobs/42/outputs"));
        assertEquals(Set.of(), UnservedPaths.allowedMethods(router, "/jobs/4/2"));
        assertEquals(Set.of(), UnservedPaths.allowedMethods(router, "/aXb"), "a path's dot is a dot");
    }
}
