package io.videotranscoder.http;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.access.AccessMeters;
import io.videotranscoder.access.AccessSettings;
import io.videotranscoder.access.AuthMode;
import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Denial;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.access.ScopePolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.auth.authorization.PermissionBasedAuthorization;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.handler.AuthorizationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every API request before any route runs: the key (in {@code Authorization: Bearer} or {@code X-API-Key},
 * through Vert.x's {@link APIKeyHandler} and {@link KeyAuthentication}), then the scope the call needs (through an
 * {@link AuthorizationHandler} per scope). The caller it finds reaches the routes as the request's Vert.x user (see
 * {@link Callers}). Refusals are answered by {@link AccessProblems}.
 */
public class AccessGuard implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(AccessGuard.class);

    /** After the body guards of {@link RouterErrors}, before {@link JobWaits} parks a request and every route. */
    static final int ORDER = -996;
    /** Set on a request served without a key check (see {@link #servedKeyless}). */
    private static final String KEYLESS = "transcoder.keyless";

    private final Vertx vertx;
    private final AccessSettings settings;
    private final KeyStore keys;
    private final AccessMeters meters;
    private final Clock clock;
    private final int port;
    /** Once a key exists, protected mode is over for good: no more lookups. */
    private final AtomicBoolean keysIssued = new AtomicBoolean();

    public AccessGuard(Vertx vertx, AccessSettings settings, KeyStore keys, AccessMeters meters, Clock clock,
            int port) {
        this.vertx = vertx;
        this.settings = settings;
        this.keys = keys;
        this.meters = meters;
        this.clock = clock;
        this.port = port;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        if (settings.mode() == AuthMode.OFF && settings.keylessHosts().listed().isEmpty()) {
            LOG.warn("TRANSCODER_AUTH=off: requests are served when their Host is localhost, an IP address or"
                     + " TRANSCODER_PUBLIC_URL's host; list any other name clients use in TRANSCODER_KEYLESS_HOSTS");
        }
        APIKeyHandler bearer = APIKeyHandler.create(new KeyAuthentication(vertx, keys, clock, true))
                .header(HttpHeaders.AUTHORIZATION.toString());
        APIKeyHandler apiKey = APIKeyHandler.create(new KeyAuthentication(vertx, keys, clock, false))
                .header("X-API-Key");
        Map<Scope, AuthorizationHandler> scopes = new EnumMap<>(Scope.class);
        for (Scope scope : Scope.values()) {
            scopes.put(scope, AuthorizationHandler.create(PermissionBasedAuthorization.create(scope.value())));
        }
        // Failure handlers are asked in route order: this one before RouterErrors' answer to every other failure.
        router.route().order(-1001).failureHandler(new AccessProblems(meters));
        router.route().order(ORDER).handler(ctx -> authenticate(ctx, bearerFirst(ctx.request()) ? bearer : apiKey));
        router.route().order(ORDER + 1).handler(ctx -> authorize(ctx, scopes));
    }

    private void authenticate(RoutingContext ctx, APIKeyHandler keyHandler) {
        if (exempt(ctx)) {
            ctx.next(); // served as nobody: a route that asks who calls fails rather than serve anybody
        } else if (settings.mode() == AuthMode.OFF) {
            serveKeyless(ctx);
        } else if (settings.mode() == AuthMode.ON || keysIssued.get()) {
            keyHandler.handle(ctx);
        } else {
            HttpServerRequest request = ctx.request();
            whilePaused(ctx, keys::anyIssued).onComplete(issued -> {
                if (issued.failed()) {
                    ctx.fail(issued.cause());
                } else if (issued.result()) {
                    keysIssued.set(true);
                    keyHandler.handle(ctx);
                } else if (settings.trusted().trusts(request.remoteAddress().host())) {
                    serveKeyless(ctx);
                } else {
                    ctx.fail(403, new KeyAuthentication.Denied(Denial.UNTRUSTED));
                }
            });
        }
    }

    /**
     * Whether the request was served without a key check (protected mode, checks off), a key header it carries
     * included, which nothing checked: its answer is no page elsewhere's to read ({@link CrossOrigin}).
     */
    static boolean servedKeyless(RoutingContext ctx) {
        return ctx.get(KEYLESS) != null;
    }

    /**
     * Runs a look-up that blocks (Redis) for a request whose body must wait meanwhile for the route's body handler, as
     * it does while a key is checked: the request is paused, and resumed once the look-up is done.
     */
    static <T> Future<T> whilePaused(RoutingContext ctx, Callable<T> lookUp) {
        HttpServerRequest request = ctx.request();
        boolean ended = request.isEnded();
        if (!ended) {
            request.pause();
        }
        return ctx.vertx().executeBlocking(lookUp, false).andThen(done -> {
            if (!ended) {
                request.resume();
            }
        });
    }

    /**
     * Which header holds the key: a Bearer {@code Authorization}, else {@code X-API-Key}, else any other
     * {@code Authorization} (refused as not a key of this service), else none (refused as missing).
     */
    private static boolean bearerFirst(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && (KeyAuthentication.bearerToken(authorization) != null
                                         || !request.headers().contains("X-API-Key"));
    }

    /**
     * The API's description ({@link ApiDocs}), open to anyone, CORS preflights, sent without credentials, and tus's
     * discovery ({@code OPTIONS /uploads/}: the protocol's version, extensions and largest size), which a tus client
     * asks before it has a key to send.
     */
    private static boolean exempt(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath(); // the path routed, as every check reads it (see DotSegments)
        return ApiDocs.open(path)
               || request.method() == HttpMethod.OPTIONS
                  && (request.headers().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)
                      || "/uploads/".equals(path) || "/uploads".equals(path));
    }

    private void serveKeyless(RoutingContext ctx) {
        if (CrossSiteGuard.leftToKeyCheck(ctx)) {
            ctx.fail(403, new KeyAuthentication.Denied(Denial.CROSS_SITE)); // its key header counts for nothing here
        } else if (!settings.keylessHosts().allows(ctx.request().getHeader(HttpHeaders.HOST))) {
            ctx.fail(403, new KeyAuthentication.Denied(Denial.HOST));
        } else {
            serveAsKeyless(ctx);
        }
    }

    /** Serves the request as a caller without a key, marked so ({@link #servedKeyless}). */
    static void serveAsKeyless(RoutingContext ctx) {
        ctx.put(KEYLESS, Boolean.TRUE);
        ctx.setUser(Callers.user(Caller.keyless()));
        ctx.next();
    }

    private static void authorize(RoutingContext ctx, Map<Scope, AuthorizationHandler> scopes) {
        if (exempt(ctx)) {
            ctx.next();
            return;
        }
        ScopePolicy.required(ctx.request().method().name(), ctx.normalizedPath())
                .ifPresentOrElse(scope -> scopes.get(scope).handle(ctx), ctx::next);
    }
}
