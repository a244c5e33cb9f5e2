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
 * @param previous       the secrets rotated out, newest first, each still signed with until its time
 */
public record Endpoint(String id, String tenant, String url, Set<EventType> events, boolean enabled,
        String disabledReason, Instant createdAt, String secret, List<Previous> previous) {

    /** A secret rotated out, which deliveries are still signed with until {@code until}. */
    public record Previous(String secret, Instant until) {
    }

    public Endpoint {
        previous = List.copyOf(previous);
    }

    /** The keys a delivery made at {@code now} is signed with: the secret, and during rotations the previous ones. */
    public List<byte[]> signingKeys(Instant now) {
        List<byte[]> keys = new ArrayList<>(List.of(Secrets.key(secret)));
        previous.stream().filter(p -> now.isBefore(p.until())).forEach(p -> keys.add(Secrets.key(p.secret())));
        return keys;
    }

    /** Until when the last rotation's previous secret signs; null when it was never rotated. */
    public Instant previousUntil() {
        return previous.stream().map(Previous::until).max(Instant::compareTo).orElse(null);
    }

    public boolean wants(EventType type) {
        return enabled && events.contains(type);
    }
}
