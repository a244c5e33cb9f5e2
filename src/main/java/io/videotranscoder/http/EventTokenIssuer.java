package io.videotranscoder.http;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        String job = Parameters.single(exchange.getIn(), "job");
        boolean asked = exchange.getIn().getHeader("job") != null; // blank is asked too: not a token for every job
        if (asked && !JobIds.valid(job)) {
            throw Refusal.invalidField("job", "job must be a job's id (a UUID, as POST /jobs answers it).");
        }
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
}
