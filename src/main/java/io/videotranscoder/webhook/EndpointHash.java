package io.videotranscoder.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
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
                text(h.get("disabledReason")), millis(h.get("createdAt")), h.get("secret"), previous(h));
    }

    /**
     * The secrets rotated out ({@code previousSecrets}: {@code <secret>@<until, epoch ms>}, newest first, by spaces),
     * and the one an endpoint rotated before there could be several kept ({@code previousSecret}, {@code
     * previousUntil}).
     */
    private static List<Endpoint.Previous> previous(Map<String, String> h) {
        List<Endpoint.Previous> previous = new ArrayList<>();
        for (String entry : h.getOrDefault("previousSecrets", "").split(" ")) {
            int at = entry.lastIndexOf('@');
            if (at > 0) {
                previous.add(new Endpoint.Previous(entry.substring(0, at), millis(entry.substring(at + 1))));
            }
        }
        if (text(h.get("previousSecret")) != null && text(h.get("previousUntil")) != null) {
            previous.add(new Endpoint.Previous(h.get("previousSecret"), millis(h.get("previousUntil"))));
        }
        return previous;
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Instant millis(String value) {
        return value == null || value.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(value));
    }
}
