package io.videotranscoder.webhook;

import java.util.Locale;

/** What one attempt came to; the meters count attempts by it. */
public enum DeliveryOutcome {
    /** A 2xx: done. */
    DELIVERED(Delivery.State.DELIVERED),
    /** Anything else, with attempts left: scheduled again. */
    RETRY(Delivery.State.PENDING),
    /** Anything else, after the last attempt. */
    DEAD(Delivery.State.DEAD),
    /** A 410. */
    GONE(Delivery.State.GONE),
    /**
     * Not attempted: its endpoint was deleted or disabled, or no secret is left to sign with; or a progress event's
     * one attempt failed (progress is not tried again).
     */
    ABANDONED(Delivery.State.ABANDONED);

    private final Delivery.State state;

    DeliveryOutcome(Delivery.State state) {
        this.state = state;
    }

    public Delivery.State state() {
        return state;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
