package io.videotranscoder.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.access.Denial;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Cross-site request forgery: a page on any site can make its visitor's browser POST a form (multipart included) or
 * send a no-cors DELETE to this service, and where no key is needed (protected mode on the visitor's own machine, or
 * checks off) that would make or cancel jobs. So a request that changes something and carries no key is refused (403,
 * counted as {@code cross_site}) when the browser says it comes from another origin: by {@code Sec-Fetch-Site}, else by
 * an {@code Origin} other than the service's own (its {@code Host}, or {@code transcoder.public-url}'s origin), unless
 * the origin is one CORS lists ({@code *} lists none: it lets every site's pages use a key, never act without one).
 * Go's {@code net/http.CrossOriginProtection} decides the same way. A request with a key header ({@code X-API-Key},
 * or {@code Authorization: Bearer}) is left to the key check (a page elsewhere cannot send one without a preflight,
 * which CORS answers), and refused where no key is checked (see {@link #leftToKeyCheck}). Requests with neither header
 * (curl, scripts) are not a browser's and pass.
 */
public class CrossSiteGuard implements StartupListener {

    /** After CORS ({@link CrossOrigin} answers preflights), before the body is read and before the access check. */
    static final int ORDER = -1100;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String LEFT_TO_KEY_CHECK = "transcoder.cross-site-keyed";

    private final CrossOrigin allowed;
    private final String publicOrigin;
    private final int port;

    /** @param publicOrigin the service's origin as clients reach it (a proxy may rewrite {@code Host}); null: none */
    CrossSiteGuard(CrossOrigin allowed, String publicOrigin, int port) {
        this.allowed = allowed;
        this.publicOrigin = publicOrigin;
        this.port = port;
    }

    public static CrossSiteGuard from(PropertiesComponent properties, int port) {
        String publicUrl = properties.resolveProperty("transcoder.public-url").orElse("").strip();
        return new CrossSiteGuard(CrossOrigin.from(properties, port), publicUrl.isEmpty() ? null : origin(publicUrl),
                port);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router != null) {
            router.route().order(ORDER).handler(this::handle);
        }
    }

    private void handle(RoutingContext ctx) {
        switch (verdict(ctx.request().method(), ctx.request().headers())) {
            case PASS -> ctx.next();
            case KEY_DECIDES -> {
                ctx.put(LEFT_TO_KEY_CHECK, Boolean.TRUE);
                ctx.next();
            }
            case REFUSE -> ctx.fail(403, new KeyAuthentication.Denied(Denial.CROSS_SITE));
        }
    }

    /** What the guard does with a request: lets it pass, leaves it to the key check, or refuses it. */
    enum Verdict { PASS, KEY_DECIDES, REFUSE }

    Verdict verdict(HttpMethod method, MultiMap headers) {
        if (!crossSite(method, headers)) {
            return Verdict.PASS;
        }
        return keyed(headers) ? Verdict.KEY_DECIDES : Verdict.REFUSE;
    }

    /**
     * Whether a request is a change sent from another site with a key header, passed to the key check: where no key is
     * checked (protected mode, checks off), its header counts for nothing and {@link AccessGuard} refuses it as this
     * guard refuses a keyless one. A page elsewhere gets such a request sent under CORS {@code *}, which answers any
     * site's preflight.
     */
    static boolean leftToKeyCheck(RoutingContext ctx) {
        return ctx.get(LEFT_TO_KEY_CHECK) != null;
    }

    /**
     * Whether a request is one a page of another site made its visitor's browser send, to change something (with a
     * key header or without).
     */
    private boolean crossSite(HttpMethod method, MultiMap headers) {
        if (SAFE.contains(method)) {
            return false;
        }
        String origin = headers.get(HttpHeaders.ORIGIN);
        if (origin != null && (allowed.lists(origin) || origin(origin).equals(publicOrigin))) {
            return false;
        }
        String site = headers.get("Sec-Fetch-Site");
        if (site != null) {
            return !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none"); // none: typed, bookmarked
        }
        if (origin == null) {
            return false;
        }
        String host = headers.get(HttpHeaders.HOST);
        return host == null || !host.toLowerCase(Locale.ROOT).equals(authority(origin));
    }

    /**
     * Whether the request carries a key in a header no browser adds by itself: {@code X-API-Key}, or a
     * {@code Bearer} authorization. A browser attaches a Basic or Negotiate {@code Authorization} it has cached for
     * this origin (a proxy's login in front of it) to another site's form posts, which the key check, where one runs,
     * would not even look at.
     */
    private static boolean keyed(MultiMap headers) {
        String authorization = headers.get(HttpHeaders.AUTHORIZATION);
        return headers.contains("X-API-Key")
               || authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** {@code scheme://host[:port]} of a URL, lower case; "" for what is not one ({@code Origin: null}, garbage). */
    private static String origin(String url) {
        String authority = authority(url);
        return authority.isEmpty() ? "" : URI.create(url).getScheme().toLowerCase(Locale.ROOT) + "://" + authority;
    }

    private static String authority(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() == null || uri.getRawAuthority() == null ? ""
                    : uri.getRawAuthority().toLowerCase(Locale.ROOT);
        } catch (Exception notAUrl) {
            return "";
        }
    }
}
