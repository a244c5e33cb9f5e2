package io.videotranscoder.events;

/** Where a {@link Subscription}'s events go: a client's open response. Called in order, never at once. */
public interface EventSink {

    void send(SentEvent event);

    /** The stream is over (its job ended or was removed): the response ends. */
    void end();
}
