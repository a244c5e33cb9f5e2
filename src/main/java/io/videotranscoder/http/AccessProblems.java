package io.videotranscoder.http;

import io.videotranscoder.access.AccessMeters;
import io.videotranscoder.access.Denial;
import io.videotranscoder.access.Scope;
import io.videotranscoder.access.ScopePolicy;
import io.videotranscoder.redis.RedisFailures;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.apache.camel.util.ObjectHelper;

/**
 * Problem JSON for requests the access check refused: 401 with {@code WWW-Authenticate: Bearer} for no key or one
 * that is not valid (unknown, revoked, expired, mistyped), 403 for a key without the scope a call needs, for a
 * client protected mode does not serve and for a keyless change sent from another site ({@link CrossSiteGuard}); each
 * counted by reason. A check that could not reach Redis is a 503.
 */
final class AccessProblems implements Handler<RoutingContext> {

    /** The command that makes a key, as an operator types it on the server. */
    static final String CREATE_KEY =
            "java -jar video-transcoder.jar keys create --name NAME --scopes jobs:read,jobs:write";

    private final AccessMeters meters;

    AccessProblems(AccessMeters meters) {
        this.meters = meters;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (RedisFailures.passingAmong(ctx.failure())) {
            ctx.response().putHeader("Retry-After", "5");
            RouterErrors.problem(ctx, 503, "The key store cannot be reached; try again shortly.");
            return;
        }
        KeyAuthentication.Denied denied = ObjectHelper.getException(KeyAuthentication.Denied.class, ctx.failure());
        Denial denial = denied != null ? denied.denial()
                : ctx.statusCode() == 401 ? Denial.MISSING
                : ctx.statusCode() == 403 && ctx.failure() instanceof HttpException ? Denial.SCOPE : null;
        if (denial == null) {
            ctx.next();
            return;
        }
        meters.denied(denial);
        if (denial == Denial.SCOPE || denial == Denial.UNTRUSTED || denial == Denial.CROSS_SITE
            || denial == Denial.HOST || denial == Denial.TOKEN_JOB) {
            RouterErrors.problem(ctx, 403, detail(denial, ctx));
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            RouterErrors.problem(ctx, 401, detail(denial, ctx));
        }
    }

    private static final String CROSS_SITE_END = ", so that no page elsewhere acts here for its visitor. ";

    static String detail(Denial denial, RoutingContext ctx) {
        return switch (denial) {
            case MISSING -> "This call needs an API key: send it as 'Authorization: Bearer <key>' or"
                            + " 'X-API-Key: <key>'.";
            case MALFORMED -> "That is not an API key of this service (vt_..._..., checksum included): check that it"
                              + " was copied whole.";
            case UNKNOWN -> whose(ctx) + " is not known here.";
            case REVOKED -> whose(ctx) + " was revoked.";
            case EXPIRED -> whose(ctx) + " has expired.";
            case CROSS_SITE -> CrossSiteGuard.leftToKeyCheck(ctx)
                    ? "This request would change something and was sent by a browser from a page of another site"
                      + " (Origin, Sec-Fetch-Site) with a key header, which counts for nothing here: this service"
                      + " checks no key (protected mode before the first key, or TRANSCODER_AUTH=off). Refused"
                      + CROSS_SITE_END
                      + "List that site in TRANSCODER_CORS_ALLOWED_ORIGINS."
                    : "This request would change something, carries no API key, and was sent by a browser from a"
                      + " page of another site (Origin, Sec-Fetch-Site): refused" + CROSS_SITE_END
                      + "Send the key in a header, or list that site in TRANSCODER_CORS_ALLOWED_ORIGINS.";
            case HOST -> "This request is served without an API key check, and names a host that is not this"
                         + " service's own (Host: not localhost, an IP address or a name in TRANSCODER_KEYLESS_HOSTS),"
                         + " as a page of another site that points its name at this machine would: list the name in"
                         + " TRANSCODER_KEYLESS_HOSTS, or create an API key and send it.";
            case TOKEN_INVALID -> "The token is not one this service issued: ask POST /events/token for one.";
            case TOKEN_EXPIRED -> "The token has expired: ask POST /events/token for a new one.";
            case TOKEN_JOB -> "This token does not open this: a token asked for a job opens that job's outputs and"
                              + " events alone, and a download needs one (POST /events/token?job={id}).";
            case SCOPE -> "This key's scopes do not allow " + ctx.request().method() + " " + ctx.request().path()
                          + "; it needs "
                          + ScopePolicy.required(ctx.request().method().name(), ctx.normalizedPath())
                                  .map(Scope::value).orElse("a key")
                          + ".";
            case UNTRUSTED -> "No API key exists yet, so this service answers only its own machine (protected mode)."
                              + " Create a key on the server: " + CREATE_KEY + " (or set TRANSCODER_AUTH=off on a"
                              + " trusted network).";
        };
    }

    /** The key refused: the one sent, or the one an event stream's token was issued to. */
    private static String whose(RoutingContext ctx) {
        return ctx.request().getParam(EventTokenCheck.PARAMETER) == null || EventTokenCheck.sentKey(ctx.request())
                ? "That API key" : "The API key this token was issued to";
    }
}
