package io.videotranscoder.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Scope;
import io.videotranscoder.events.EventTokens;
import org.apache.camel.Exchange;

/**
 * {@code POST /events/token}: a token of the caller's tenant and scope (jobs:read, which the call needs, or admin,
 * which sees every tenant), which opens an event stream as {@code ?token=} within its lifetime and while the caller's
 * key stands. It is in the answer only: never in a log.
 */
public class EventTokenIssuer {

    private final EventTokens tokens;
    private final ObjectMapper json;

    public EventTokenIssuer(EventTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    public void issue(Exchange exchange) throws JsonProcessingException {
        Caller caller = Callers.of(exchange.getIn());
        EventTokens.Issued issued = tokens.issue(caller.keyId(), caller.tenant(), caller.admin() ? Scope.ADMIN.value()
                : Scope.JOBS_READ.value());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("expiresAt", issued.grant().expires().toString());
        Replies.reply(exchange.getMessage(), 200, "application/json", json.writeValueAsString(body));
    }
}
