package io.videotranscoder.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.webhook.Endpoint;
import io.videotranscoder.webhook.Endpoints;
import io.videotranscoder.webhook.EventType;
import io.videotranscoder.webhook.WebhookTargets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /admin/webhooks}: endpoints a tenant registers for its job events. The secret is shown twice only: in the
 * answer to the registration and to a rotation; every other answer leaves it out.
 */
public class WebhookAdmin {

    private static final String JSON = "application/json";

    /** A registration: the URL, and the event types (none: every status change). */
    record Registration(String url, List<String> events) {
    }

    /** An endpoint as an admin sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EndpointView(String id, String url, List<String> events, String status, String disabledReason,
            Instant createdAt, String secret, Instant previousSecretValidUntil) {
    }

    private final Endpoints endpoints;
    private final WebhookTargets targets;
    private final ObjectMapper json;
    private final Duration rotationGrace;
    private final Clock clock;

    public WebhookAdmin(Endpoints endpoints, WebhookTargets targets, ObjectMapper json, Duration rotationGrace,
            Clock clock) {
        this.endpoints = endpoints;
        this.targets = targets;
        this.json = json;
        this.rotationGrace = rotationGrace;
        this.clock = clock;
    }

    public void register(Exchange exchange) throws JsonProcessingException {
        Registration registration = registration(exchange.getIn());
        String url = targets.require("url", registration.url());
        Endpoint endpoint = endpoints.register(tenant(exchange.getIn()), url, Endpoints.events(registration.events()),
                clock.instant());
        reply(exchange, 201, view(endpoint, true));
        exchange.getMessage().setHeader("Location", "/admin/webhooks/" + endpoint.id());
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        List<EndpointView> views = endpoints.list(tenant(exchange.getIn())).stream().map(e -> view(e, false)).toList();
        reply(exchange, 200, Map.of("webhooks", views));
    }

    public void one(Exchange exchange) throws JsonProcessingException {
        reply(exchange, 200, view(endpoints.get(tenant(exchange.getIn()), id(exchange)), false));
    }

    public void rotate(Exchange exchange) throws JsonProcessingException {
        Endpoint endpoint = endpoints.rotate(tenant(exchange.getIn()), id(exchange), clock.instant(), rotationGrace);
        reply(exchange, 200, view(endpoint, true));
    }

    public void disable(Exchange exchange) throws JsonProcessingException {
        Endpoint endpoint = endpoints.disable(tenant(exchange.getIn()), id(exchange),
                "Disabled by an admin at " + clock.instant() + ".");
        reply(exchange, 200, view(endpoint, false));
    }

    public void enable(Exchange exchange) throws JsonProcessingException {
        reply(exchange, 200, view(endpoints.enable(tenant(exchange.getIn()), id(exchange)), false));
    }

    public void delete(Exchange exchange) {
        endpoints.delete(tenant(exchange.getIn()), id(exchange));
        Replies.reply(exchange.getMessage(), 204, null, null);
    }

    /** The caller's tenant, as the access check found it (never a header a client could set). */
    static String tenant(Message in) {
        return Callers.of(in).tenant();
    }

    private static String id(Exchange exchange) {
        return exchange.getIn().getHeader("id", String.class);
    }

    private Registration registration(Message in) {
        String type = in.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        if (!type.startsWith(JSON)) {
            throw new Refusal(Refusal.Kind.UNSUPPORTED_MEDIA_TYPE,
                    "Send the registration as application/json: {\"url\": \"https://...\", \"events\": [...]}.", null);
        }
        // A POST without Content-Length or Transfer-Encoding (curl -X POST) has no body at all, which Jackson refuses
        // as a programming error, not as bad JSON.
        String body = Parameters.jsonText(in);
        if (body == null || body.isBlank()) {
            throw Refusal.invalidField(null, "The request has no body: send the registration as JSON, "
                                             + "{\"url\": \"https://...\", \"events\": [...]}.");
        }
        try {
            Registration registration = json.readValue(body, Registration.class);
            if (registration == null || registration.url() == null) {
                throw Refusal.invalidField("url", "url is required: where the events are sent.");
            }
            return registration;
        } catch (UnrecognizedPropertyException e) { // misspelt ("event"): refused rather than ignored
            throw Refusal.invalidField(e.getPropertyName(), "A registration has no field '" + e.getPropertyName()
                    + "'; its fields are url and events.");
        } catch (JsonProcessingException e) {
            throw Refusal.invalidField(null, "The body is not a registration: " + e.getOriginalMessage() + ".");
        }
    }

    private static EndpointView view(Endpoint e, boolean withSecret) {
        return new EndpointView(e.id(), e.url(), e.events().stream().map(EventType::type).toList(),
                e.enabled() ? "enabled" : "disabled", e.disabledReason(), e.createdAt(), withSecret ? e.secret() : null,
                e.previousUntil());
    }

    private void reply(Exchange exchange, int status, Object body) throws JsonProcessingException {
        Replies.reply(exchange.getMessage(), status, JSON, json.writeValueAsString(body));
    }
}
