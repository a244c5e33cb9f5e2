package io.videotranscoder.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.videotranscoder.queue.RedisStreamConstants;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one event of the job's event log into a delivery for each target: the job's own callback URL (its status
 * changes, signed with the operator's secret) and the endpoints of the job's tenant that asked for the event. Done
 * again for a redelivered entry, it adds no delivery twice: each delivery's id is the entry's and the target's.
 */
public class FanOut {

    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final Endpoints endpoints;
    private final DeliveryStore deliveries;
    private final Payloads payloads;
    private final boolean operatorSecret;

    /** @param operatorSecret whether TRANSCODER_WEBHOOK_SECRET is set, without which no callback can be signed */
    public FanOut(Endpoints endpoints, DeliveryStore deliveries, Payloads payloads, boolean operatorSecret) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.payloads = payloads;
        this.operatorSecret = operatorSecret;
    }

    /** @return how many deliveries it created */
    public int fanOut(Map<String, String> entry, @Header(RedisStreamConstants.ENTRY_ID) String entryId,
            @Header(RedisStreamConstants.EXHAUSTED) boolean exhausted) {
        JobEvent event = JobEvent.from(entry).orElse(null);
        if (event == null) {
            return 0;
        }
        if (exhausted) {
            LOG.error("The {} of job {} could not be made into deliveries, however often tried: it goes to the"
                      + " dead-letter stream", event.type().type(), event.job());
            return 0;
        }
        List<Delivery> created = new ArrayList<>();
        String body = payloads.body(event);
        if (event.callbackUrl() != null && EventType.lifecycle().contains(event.type())) {
            if (!operatorSecret) {
                LOG.warn("Job {} has a callback URL but TRANSCODER_WEBHOOK_SECRET is no longer set: its {} is not sent",
                        event.job(), event.type().type());
            } else if (!deliveries.callbackGone(event.job())) {
                created.add(delivery(entryId, event, Delivery.CALLBACK, event.callbackUrl(), body));
            }
        }
        for (Endpoint endpoint : endpoints.subscribed(event.tenant(), event.type())) {
            created.add(delivery(entryId, event, endpoint.id(), null, body));
        }
        return (int) created.stream().filter(deliveries::create).count();
    }

    private static Delivery delivery(String entryId, JobEvent event, String target, String url, String body) {
        return new Delivery(entryId + "." + target, "msg_" + entryId, event.job(), event.tenant(), event.type(),
                target, url, body, event.at(), 0, Delivery.State.PENDING, null, null);
    }
}
