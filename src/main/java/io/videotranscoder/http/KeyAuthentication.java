package io.videotranscoder.http;

import java.time.Clock;
import java.util.Locale;

import io.videotranscoder.access.Denial;
import io.videotranscoder.access.KeyStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;

/**
 * Vert.x authentication of an API key against the keys in Redis, looked up on a worker thread, never on the event
 * loop. A key refused fails with {@link Denied}, which says why (for the answer and the failures meter) and never
 * holds the key.
 */
final class KeyAuthentication implements AuthenticationProvider {

    private static final String BEARER = "bearer ";

    private final Vertx vertx;
    private final KeyStore keys;
    private final Clock clock;
    private final boolean bearer;

    /** @param bearer whether the token is an {@code Authorization} header's value, {@code Bearer <key>} */
    KeyAuthentication(Vertx vertx, KeyStore keys, Clock clock, boolean bearer) {
        this.vertx = vertx;
        this.keys = keys;
        this.clock = clock;
        this.bearer = bearer;
    }

    /** A request refused for its key, or for its lack of one. */
    static final class Denied extends RuntimeException {

        private final Denial denial;

        Denied(Denial denial) {
            super(denial.tag(), null, false, false); // a verdict, not a fault: no stack
            this.denial = denial;
        }

        Denial denial() {
            return denial;
        }
    }

    @Override
    public Future<User> authenticate(Credentials credentials) {
        String token = credentials instanceof TokenCredentials t ? t.getToken() : null;
        String key = bearer ? bearerToken(token) : token;
        if (key == null) {
            return Future.failedFuture(new Denied(bearer && token != null ? Denial.MALFORMED : Denial.MISSING));
        }
        return vertx.executeBlocking(() -> keys.check(key.trim(), clock.instant()), false).compose(check ->
                check.passed() ? Future.succeededFuture(Callers.user(check.caller()))
                        : Future.failedFuture(new Denied(check.denial())));
    }

    /** The key of {@code Bearer <key>}; null when the header holds another scheme. */
    static String bearerToken(String header) {
        if (header == null || header.length() <= BEARER.length()
            || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        return header.substring(BEARER.length());
    }

    @Override
    public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> handler) {
        authenticate(new TokenCredentials(credentials)).onComplete(handler);
    }
}
