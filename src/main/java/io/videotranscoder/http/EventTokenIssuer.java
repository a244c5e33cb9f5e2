package io.videotranscoder.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.videotranscoder.access.Caller;
import io.videotranscoder.access.Scope;
import io.videotranscoder.events.EventTokens;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;

/**
 * {@code POST /events/token}: a token of the caller's tenant and scope (jobs:read, which the call needs, or admin,
 * which sees every tenant), which opens event streams as {@code ?token=} within its lifetime and while the caller's
 * key stands; with {@code ?job=}, that job's event stream and the downloads of its outputs alone (what a page puts in
 * a link). It is in the answer only: never in a log.
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
        String job = job(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        EventTokens.Issued issued = tokens.issue(caller.keyId(), caller.tenant(), caller.admin() ? Scope.ADMIN.value()
                : Scope.JOBS_READ.value(), job);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("expiresAt", issued.grant().expires().toString());
        if (job != null) {
            body.put("job", job);
        }
        Replies.reply(exchange.getMessage(), 200, "application/json", json.writeValueAsString(body));
    }

    /**
     * The job {@code ?job=} asks for, null when not asked; from the query alone (a request header of that name would
     * be a message header too). Blank is asked as well: no token for every job.
     */
    private static String job(String query) {
        List<String> asked = query == null ? List.of()
                : new QueryStringDecoder(query, false).parameters().getOrDefault("job", List.of());
        if (asked.size() > 1) {
            throw Parameters.repeated("job", asked.size());
        }
        if (!asked.isEmpty() && !JobIds.valid(asked.get(0))) {
            throw Refusal.invalidField("job", "job must be a job's id (a UUID, as POST /jobs answers it).");
        }
        return asked.isEmpty() ? null : asked.get(0);
    }
}
