package io.videotranscoder.http;

import java.util.Set;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Scope;
import io.videotranscoder.events.EventTokens;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code ?token=} on the event streams, and there only: a valid token stands for the key a browser's EventSource
 * cannot send, as the caller it names, which the access check then takes ({@link AccessGuard}, mounted after this);
 * an expired, altered or foreign one is a 401 problem, which never repeats the token.
 */
final class EventTokenCheck {

    private final EventTokens tokens;

    EventTokenCheck(EventTokens tokens) {
        this.tokens = tokens;
    }

    void handle(RoutingContext ctx) {
        String token = ctx.request().getParam("token");
        if (token == null) {
            ctx.next();
            return;
        }
        // The signing key may have to be read from Redis once.
        ctx.vertx().executeBlocking(() -> tokens.verify(token), false).onComplete(checked -> {
            if (checked.succeeded()) {
                // The access check takes the caller it finds set; the token holds no key (no key's quota applies).
                EventTokens.Grant grant = checked.result();
                ctx.setUser(Callers.user(new Caller(null, grant.tenant(), Set.of(Scope.of(grant.scope())))));
                ctx.next();
            } else if (checked.cause() instanceof EventTokens.Refused refused) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                RouterErrors.problem(ctx, 401, refused.getMessage());
            } else {
                EventStreams.unavailable(ctx);
            }
        });
    }
}
