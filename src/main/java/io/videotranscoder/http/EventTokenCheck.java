package io.videotranscoder.http;

import java.time.Clock;
import java.util.Set;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Denial;
import io.videotranscoder.access.KeyCheck;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.events.EventTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code ?token=} on the event streams and the downloads of outputs (which a browser cannot send a key with either),
 * and there only, for a request that sends no key (one that does is judged by its key): a valid token of a key that
 * still stands (not revoked, not expired: one read of the key's record by its id) is the caller it names, which the
 * access check then takes ({@link AccessGuard}, mounted after this). A token asked for one job opens that job's outputs
 * and events alone, and a download needs one (a 403 otherwise): what a link carries opens no other job's files, and
 * the token of a page's event stream, in its URL too, no file. A token refused, or one of a key that no longer
 * stands, is a 401 problem answered and counted by reason as a key refused is ({@link AccessProblems}); neither the
 * answer nor a log line ever repeats the token. A token issued without a key (protected mode, checks off) grants no
 * more than no key does, nor less.
 */
final class EventTokenCheck {

    static final String PARAMETER = "token";

    private final EventTokens tokens;
    private final KeyStore keys;
    private final Clock clock;

    EventTokenCheck(EventTokens tokens, KeyStore keys, Clock clock) {
        this.tokens = tokens;
        this.keys = keys;
        this.clock = clock;
    }

    /** On {@code GET /events} and {@code GET /jobs/{id}/events}. */
    void streams(RoutingContext ctx) {
        handle(ctx, false);
    }

    /** On {@code GET}/{@code HEAD /jobs/{id}/outputs/{name}}: a token asked for that job alone. */
    void downloads(RoutingContext ctx) {
        handle(ctx, true);
    }

    private void handle(RoutingContext ctx, boolean download) {
        String token = ctx.request().getParam(PARAMETER);
        if (token == null || sentKey(ctx.request())) {
            ctx.next(); // a request with a key is judged by its key alone
            return;
        }
        // The signing key may have to be read from Redis once; the key's record is read each time (a download's
        // route reads its body after).
        AccessGuard.whilePaused(ctx, () -> caller(token, ctx.pathParam("id"), download)).onComplete(checked -> {
            if (checked.succeeded()) {
                if (checked.result() != null) {
                    ctx.setUser(Callers.user(checked.result()));
                }
                ctx.next();
            } else if (checked.cause() instanceof KeyAuthentication.Denied denied) {
                ctx.fail(401, denied);
            } else {
                EventStreams.unavailable(ctx);
            }
        });
    }

    /** Whether the request sends a key: {@code X-API-Key}, or a Bearer {@code Authorization} (not a proxy's Basic). */
    static boolean sentKey(HttpServerRequest request) {
        return request.getHeader("X-API-Key") != null
               || KeyAuthentication.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION)) != null;
    }

    /**
     * The caller {@code token} stands for, asking for {@code job} (null: every job), to download one of its outputs or
     * not; null for a token issued without a key.
     */
    private Caller caller(String token, String job, boolean download) {
        EventTokens.Grant grant;
        try {
            grant = tokens.verify(token);
        } catch (EventTokens.Refused refused) {
            throw new KeyAuthentication.Denied(refused.expired() ? Denial.TOKEN_EXPIRED : Denial.TOKEN_INVALID);
        }
        if (grant.keyId() == null) {
            return null; // no more than no key, nor less
        }
        if (grant.job() == null ? download : !grant.job().equals(job)) {
            throw new KeyAuthentication.Denied(Denial.TOKEN_JOB);
        }
        KeyCheck standing = keys.standing(grant.keyId(), clock.instant());
        if (!standing.passed()) {
            throw new KeyAuthentication.Denied(standing.denial());
        }
        // What the token grants, in the key's name: the key's open streams end when it stops standing.
        return new Caller(grant.keyId(), grant.tenant(), Set.of(Scope.of(grant.scope())));
    }
}
