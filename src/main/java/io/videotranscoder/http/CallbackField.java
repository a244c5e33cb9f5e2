package io.videotranscoder.http;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.job.JobRequest;
import io.videotranscoder.webhook.CallbackKeys;
import io.videotranscoder.webhook.Callbacks;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The {@code callbackUrl} form field of {@code POST /jobs}: checked, then carried by the job; and
 * {@code GET /callback-secret}, the secret the caller's tenant's callbacks are signed with.
 */
public class CallbackField {

    private final Callbacks callbacks;
    private final CallbackKeys keys;
    private final ObjectMapper json;

    public CallbackField(Callbacks callbacks, CallbackKeys keys, ObjectMapper json) {
        this.callbacks = callbacks;
        this.keys = keys;
        this.json = json;
    }

    public JobRequest attach(JobRequest request, @Header(Callbacks.FIELD) String url) {
        return url == null || url.isBlank() ? request : request.withCallbackUrl(callbacks.require(url));
    }

    public void secret(Exchange exchange) throws JsonProcessingException {
        String tenant = WebhookAdmin.tenant(exchange.getIn());
        Replies.reply(exchange.getMessage(), 200, "application/json",
                json.writeValueAsString(Map.of("tenant", tenant, "secret", keys.secret(tenant))));
    }
}
