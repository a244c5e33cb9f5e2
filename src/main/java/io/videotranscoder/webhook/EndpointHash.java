package io.videotranscoder.webhook;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** An endpoint as the fields of its Redis hash, and back; cleared fields are written empty. */
final class EndpointHash {

    private EndpointHash() {
    }

    static Map<String, String> toHash(Endpoint e) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("id", e.id());
        hash.put("tenant", e.tenant());
        hash.put("url", e.url());
        hash.put("events", e.events().stream().map(EventType::type).collect(Collectors.joining(" ")));
        hash.put("state", e.enabled() ? "enabled" : "disabled");
        hash.put("createdAt", Long.toString(e.createdAt().toEpochMilli()));
        hash.put("secret", e.secret());
        return hash;
    }

    static Endpoint fromHash(Map<String, String> h) {
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        Arrays.stream(h.getOrDefault("events", "").split(" ")).map(EventType::of)
                .forEach(type -> type.ifPresent(events::add));
        return new Endpoint(h.get("id"), h.get("tenant"), h.get("url"), events, "enabled".equals(h.get("state")),
                text(h.get("disabledReason")), millis(h.get("createdAt")), h.get("secret"),
                text(h.get("previousSecret")), millis(h.get("previousUntil")));
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Instant millis(String value) {
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }
}
