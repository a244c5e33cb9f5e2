package io.videotranscoder.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.webhook.Attempt;
import io.videotranscoder.webhook.Delivery;
import io.videotranscoder.webhook.DeliveryStore;
import org.apache.camel.Exchange;

/** {@code GET /jobs/{id}/deliveries}: the webhooks of a job's events, each with every attempt made. */
public class DeliveryViews {

    /** One delivery as a client sees it: where to (callback or an endpoint id, never a URL), and how it went. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(String webhookId, String type, String target, String state, Instant createdAt,
            Instant nextAttemptAt, List<Attempt> attempts) {
    }

    private final JobStore jobs;
    private final DeliveryStore deliveries;
    private final ObjectMapper json;

    public DeliveryViews(JobStore jobs, DeliveryStore deliveries, ObjectMapper json) {
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.json = json;
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        Job job = jobs.existing(exchange.getIn().getHeader("id", String.class), Callers.tenancy(exchange.getIn()));
        List<DeliveryView> views = deliveries.forJob(job.id()).stream()
                .filter(h -> h.delivery().tenant().equals(job.tenant()))
                .map(h -> view(h.delivery(), h.attempts())).toList();
        Replies.reply(exchange.getMessage(), 200, "application/json",
                json.writeValueAsString(Map.of("deliveries", views)));
    }

    private static DeliveryView view(Delivery d, List<Attempt> attempts) {
        return new DeliveryView(d.webhookId(), d.type().type(), d.target(), d.state().value(), d.createdAt(),
                d.nextAt(), attempts);
    }
}
