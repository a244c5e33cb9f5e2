package io.videotranscoder.http;

import io.videotranscoder.events.EventTokens;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code ?token=} on the event streams, and there only: a valid token stands for the key a browser's EventSource
 * cannot send; an expired, altered or foreign one is a 401 problem, which never repeats the token.
 */
final class EventTokenCheck {

    private final EventTokens tokens;

    EventTokenCheck(EventTokens tokens) {
        this.tokens = tokens;
    }

    /** What the request's token grants; null when it came without one. */
    static EventTokens.Grant grant(RoutingContext ctx) {
        return ctx.get(EventTokens.Grant.class.getName());
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
                ctx.put(EventTokens.Grant.class.getName(), checked.result());
                ctx.next();
            } else if (checked.cause() instanceof EventTokens.Refused refused) {
                RouterErrors.problem(ctx, 401, refused.getMessage());
            } else {
                EventStreams.unavailable(ctx);
            }
        });
    }
}
