package io.videotranscoder.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sets an HTTP answer on a message, dropping the request's headers so that none is echoed back; answers that say
 * nothing of caching are stored by no cache.
 */
final class Replies {

    private Replies() {
    }

    static void reply(Message message, int status, String contentType, Object body) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }

    /**
     * An answer that says nothing of caching (the API's JSON, problems) is stored by no cache: one in between, which does
     * not tell callers apart by their key, would serve one tenant's to another. Files and the page say their own.
     * (Camel's HTTP header filter drops a Cache-Control set on a message.)
     */
    static void storedByNoCache(RoutingContext ctx) {
        ctx.addHeadersEndHandler(ended -> {
            if (!ctx.response().headers().contains(HttpHeaders.CACHE_CONTROL)) {
                ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            }
        });
    }
}
