package io.videotranscoder.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A URL an admin registered for a tenant's job events, with its own secret.
 *
 * @param events         the event types it is sent
 * @param disabledReason why it is disabled (an admin, or the receiver answered 410); null while enabled
 * @param previousSecret the secret before the last rotation, still signed with until {@code previousUntil}
 */
public record Endpoint(String id, String tenant, String url, Set<EventType> events, boolean enabled,
        String disabledReason, Instant createdAt, String secret, String previousSecret, Instant previousUntil) {

    /** The keys a delivery made at {@code now} is signed with: the secret, and during a rotation the previous one. */
    public List<byte[]> signingKeys(Instant now) {
        List<byte[]> keys = new ArrayList<>(List.of(Secrets.key(secret)));
        if (previousSecret != null && previousUntil != null && now.isBefore(previousUntil)) {
            keys.add(Secrets.key(previousSecret));
        }
        return keys;
    }

    public boolean wants(EventType type) {
        return enabled && events.contains(type);
    }
}
