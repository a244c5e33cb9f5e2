package io.videotranscoder.events;

/** Where a {@link Subscription}'s events go: a client's open response. Called in order, never at once. */
public interface EventSink {

    void send(SentEvent event);

    /**
     * The stream has moved to {@code id} without an event to send (where it starts, or past entries its filter does not
     * take), in order with the events sent: a keep-alive may carry it, never an id ahead of an event not yet written.
     */
    void moved(String id);

    /** The stream is over (its job ended or was removed): the response ends. */
    void end();
}
