package io.videotranscoder.webhook;

import java.time.Instant;

/**
 * One event on its way to one target, from its first attempt to its end.
 *
 * @param webhookId    the {@code webhook-id} of every attempt: receivers drop duplicates by it
 * @param target       {@link #CALLBACK} (the job's own callback URL) or the id of a registered endpoint
 * @param url          the callback URL; null for an endpoint, whose URL is read from the endpoint
 * @param body         the payload, the same bytes on every attempt
 * @param settledEntry the queue entry whose attempt was last recorded: a redelivered entry is not sent twice
 */
public record Delivery(String id, String webhookId, String job, String tenant, EventType type, String target,
        String url, String body, Instant createdAt, int attempts, State state, Instant nextAt, String settledEntry) {

    public static final String CALLBACK = "callback";

    /** Where a delivery stands; each but pending is final. */
    public enum State {
        /** Waiting for its next attempt (queued or scheduled). */
        PENDING,
        /** A 2xx answered. */
        DELIVERED,
        /** Every attempt of the schedule failed. */
        DEAD,
        /** The receiver answered 410: its endpoint is disabled, a callback no longer called. */
        GONE,
        /** Its endpoint was deleted or disabled, or there is no longer a secret to sign it with. */
        ABANDONED;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public boolean toCallback() {
        return CALLBACK.equals(target);
    }
}
