package io.videotranscoder.http;

import java.time.Duration;

import io.videotranscoder.events.SentEvent;

/**
 * Server-Sent Events as the HTML standard reads them: fields of one line each ({@code id:}, {@code event:},
 * {@code data:}, one per line of data), an event ended by a blank line, a comment a line starting with a colon.
 */
final class EventFrames {

    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private EventFrames() {
    }

    static String event(SentEvent event) {
        StringBuilder frame = new StringBuilder();
        frame.append("id: ").append(oneLine(event.id())).append('\n');
        frame.append("event: ").append(oneLine(event.type())).append('\n');
        for (String line : event.data().split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString();
    }

    /** An id without an event: the browser keeps it for its next reconnection and dispatches nothing. */
    static String id(String id) {
        return "id: " + oneLine(id) + "\n\n";
    }

    /** How long a client waits before it reconnects. */
    static String retry(Duration after) {
        return "retry: " + after.toMillis() + "\n\n";
    }

    /** Ignored by clients; keeps the connection and the proxies on its way from closing it as idle. */
    static String comment(String text) {
        return ": " + oneLine(text) + "\n\n";
    }

    /**
     * A keep-alive comment with the stream's position as a bare id: a client that reconnects resumes from there, not
     * from its last event, which may be older than the log keeps when its jobs are quiet and others are not.
     */
    static String keepAlive(String position) {
        return ": keep-alive\nid: " + oneLine(position) + "\n\n";
    }

    /** A field's value ends at the line's end: a line break inside would start another field. */
    private static String oneLine(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("An event field must be one line: " + value);
        }
        return value;
    }
}
