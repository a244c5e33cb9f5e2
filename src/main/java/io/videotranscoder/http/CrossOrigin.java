package io.videotranscoder.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;

/**
 * CORS for players and pages on other sites ({@code transcoder.cors-allowed-origins}; off when blank): Vert.x's
 * {@link CorsHandler}, mounted before every other handler of the API's router, so that a preflight is answered before
 * any check (it carries no key) and every answer, a refusal of the router or problem JSON of a route alike, carries the
 * headers. An origin not listed is served as if the setting were off: no CORS headers, so the browser withholds the
 * answer from the page (Vert.x alone would refuse it a 403, same-origin requests of the service's own pages included).
 * Under {@code *}, so is a request served without a key check (see {@link #withoutCors}).
 */
public class CrossOrigin implements StartupListener {

    public static final String SETTING = "transcoder.cors-allowed-origins";
    /** Before the handlers of {@link RouterErrors} and {@link JobWaits}, and any authentication. */
    static final int ORDER = -2000;
    static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.DELETE,
            HttpMethod.PATCH);
    /**
     * The downloads' and keys' headers, those of resumable uploads (tus), and Last-Event-ID: a browser's EventSource
     * sends it when it reconnects to an event stream.
     */
    static final Set<String> REQUEST_HEADERS = Set.of("Range", "If-Range", "If-None-Match", "If-Modified-Since",
            "Authorization", "X-API-Key", "Content-Type", "Last-Event-ID", "Tus-Resumable", "Upload-Length",
            "Upload-Metadata", "Upload-Offset");
    static final Set<String> EXPOSED_HEADERS = Set.of("Content-Range", "Content-Length", "Content-Disposition",
            "ETag", "Last-Modified", "Accept-Ranges", "Location", "Retry-After", "Tus-Resumable", "Tus-Version",
            "Tus-Extension", "Tus-Max-Size", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Upload-Expires",
            "Job-Id", "Job-Location");
    /** How long a browser may reuse a preflight's answer. */
    private static final int MAX_AGE_SECONDS = 600;

    private final int port;
    private final List<String> origins;

    /** @param origins normalised origins ({@code https://player.example:8443}), or {@code *} alone */
    CrossOrigin(int port, List<String> origins) {
        this.port = port;
        this.origins = origins;
    }

    public static CrossOrigin from(PropertiesComponent properties, int port) {
        return new CrossOrigin(port, origins(properties.resolveProperty(SETTING).orElse("")));
    }

    /** The comma-separated setting as origins; any {@code *} allows every origin. */
    static List<String> origins(String setting) {
        List<String> listed = Stream.of(setting.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
        return listed.contains("*") ? List.of("*") : listed.stream().map(CrossOrigin::normalised).toList();
    }

    /** {@code scheme://host[:port]} in lower case without a default port; anything else stops the start. */
    static String normalised(String origin) {
        return webOrigin(origin).orElseThrow(() -> new IllegalArgumentException(SETTING + ": '" + origin + "' is not an"
                + " origin; write scheme://host or scheme://host:port (e.g. https://player.example), or *"));
    }

    /**
     * A web page's origin as the setting's are written ({@link #normalised}); empty for what is none: {@code null} (a
     * sandboxed frame, a file), a browser extension's or an app's (Vert.x's CORS handler would refuse those a 403, even
     * without a key), or garbage.
     */
    static Optional<String> webOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException notAUri) {
            return Optional.empty();
        }
        String scheme = uri.getScheme();
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare
            || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        int defaultPort = "https".equals(scheme) ? 443 : 80;
        return Optional.of(scheme + "://" + uri.getHost() + (uri.getPort() < 0 || uri.getPort() == defaultPort ? ""
                : ":" + uri.getPort()));
    }

    /** Whether a request's {@code Origin} is one the setting allows: listed, or under {@code *} any web page's. */
    boolean allows(String origin) {
        return allows(webOrigin(origin));
    }

    private boolean allows(Optional<String> page) {
        return page.filter(listed -> origins.contains("*") || origins.contains(listed)).isPresent();
    }

    /** Whether a request's {@code Origin} is one the setting names ({@code *} names none). */
    boolean lists(String origin) {
        return webOrigin(origin).filter(origins::contains).isPresent();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null || origins.isEmpty()) {
            return; // no API in this role, or CORS off
        }
        mount(router);
    }

    /** Mounts the CORS handler first on the API's router. */
    void mount(Router router) {
        CorsHandler cors = CorsHandler.create().addOrigins(origins).allowedMethods(METHODS)
                .allowedHeaders(REQUEST_HEADERS).exposedHeaders(EXPOSED_HEADERS).maxAgeSeconds(MAX_AGE_SECONDS);
        router.route().order(ORDER).handler(ctx -> handle(ctx, cors));
    }

    private void handle(RoutingContext ctx, CorsHandler cors) {
        ctx.addHeadersEndHandler(v -> varyByOrigin(ctx.response().headers()));
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        Optional<String> page = origin == null ? Optional.empty() : webOrigin(origin); // read once per request
        if (!allows(page)) {
            ctx.next();
            return;
        }
        if (page.filter(origins::contains).isEmpty() && !preflight(ctx)) { // under *, not listed by name
            ctx.addHeadersEndHandler(v -> {
                if (AccessGuard.servedKeyless(ctx)) {
                    withoutCors(ctx.response().headers());
                }
            });
        }
        cors.handle(ctx);
    }

    /** A browser's preflight, which asks whether a request may be sent: it carries no key. */
    private static boolean preflight(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.OPTIONS
               && ctx.request().headers().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /**
     * Under {@code *}, a page elsewhere never reads the answer to a request served without a key check (in protected
     * mode on the service's own machine, or to anyone with checks off), a made-up key header that nothing checked
     * included: it would hand any site's page its visitor opens the jobs and their outputs. Its answer loses the
     * headers that let the page read it, as if its origin were not listed. Every other answer keeps them: one a key
     * decided (refusals of the key included), and refusals before any check (a body too large), which hold nothing.
     */
    static void withoutCors(MultiMap headers) {
        headers.remove(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        headers.remove(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS);
    }

    /**
     * Answers differ by Origin (with CORS headers or without), so a shared cache must keep them apart: {@code Vary:
     * Origin} once, whether or not the CorsHandler said so (it does for some lists of origins, not for one or *).
     */
    static void varyByOrigin(MultiMap headers) {
        boolean said = headers.getAll(HttpHeaders.VARY).stream().flatMap(value -> Stream.of(value.split(",")))
                .anyMatch(field -> field.strip().equalsIgnoreCase("Origin"));
        if (!said) {
            headers.add(HttpHeaders.VARY, "Origin");
        }
    }
}
