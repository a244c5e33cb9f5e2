package io.videotranscoder.events;

import java.util.List;

import redis.clients.jedis.StreamEntryID;

/**
 * A stream registered ({@link LiveEvents#open}) and how it begins: the transport sends what {@code start} calls for
 * (the whole job, a reset, or only the replay), then {@link #begin()}s it.
 *
 * @param from    the position the stream starts from: the client's id, or a quiet one ({@link EventLog#quiet})
 * @param missed  what the client missed, to be sent first (a replay)
 * @param readTo  the last entry the replay read; null without a replay
 */
public record Opening(Subscription subscription, Start start, EventId from, List<LoggedEvent> missed,
        StreamEntryID readTo) {

    /** How a stream begins: without an id (fresh), after a usable one (replay), or after one it cannot replay. */
    public enum Start { FRESH, REPLAY, RESET }

    /** Sends the replay, then what was heard meanwhile, then every event as it comes. */
    public void begin() {
        subscription.start(from, missed, readTo);
    }
}
