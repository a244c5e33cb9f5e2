package io.videotranscoder.webhook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A delivery as the fields of its Redis hash, and back; cleared fields are written empty. */
final class DeliveryHash {

    private DeliveryHash() {
    }

    static Map<String, String> toHash(Delivery d) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("id", d.id());
        hash.put("webhookId", d.webhookId());
        hash.put("job", d.job());
        hash.put("tenant", d.tenant());
        hash.put("type", d.type().type());
        hash.put("target", d.target());
        if (d.url() != null) {
            hash.put("url", d.url());
        }
        hash.put("body", d.body());
        hash.put("createdAt", Long.toString(d.createdAt().toEpochMilli()));
        hash.put("attempts", Integer.toString(d.attempts()));
        hash.put("state", d.state().value());
        return hash;
    }

    static Delivery fromHash(Map<String, String> h) {
        return new Delivery(h.get("id"), h.get("webhookId"), h.get("job"), h.get("tenant"),
                EventType.of(h.get("type")).orElseThrow(), h.get("target"), h.get("url"), h.get("body"),
                millis(h.get("createdAt")), Integer.parseInt(h.getOrDefault("attempts", "0")),
                Delivery.State.of(h.get("state")), millis(h.get("nextAt")), h.get("settledEntry"));
    }

    private static Instant millis(String value) {
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }
}
