package io.videotranscoder.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Sets an HTTP answer on a message, dropping the request's headers so that none is echoed back. */
final class Replies {

    private Replies() {
    }

    static void reply(Message message, int status, String contentType, Object body) {
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }
}
