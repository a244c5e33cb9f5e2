package io.videotranscoder.events;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.clients.jedis.StreamEntryID;

/**
 * The id of an event on a stream, which the client hands back in {@code Last-Event-ID} to resume: the position in the
 * job event log the stream had reached ({@code 1796115965862-0}, the id of the log's entry), and, for a progress
 * reading sent after that entry, which reading it was ({@code 1796115965862-0~3}). Readings are not in the log: a
 * resumed stream replays the entries after the position, then sends readings as they come.
 */
public record EventId(StreamEntryID position, int reading) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,19})-(\\d{1,19})(?:~(\\d{1,9}))?");

    /** The position of entry {@code position}, before any reading. */
    public static EventId at(StreamEntryID position) {
        return new EventId(position, 0);
    }

    /** The id {@code text} names; empty when it is not one this service gives. */
    public static Optional<EventId> parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            StreamEntryID position = new StreamEntryID(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            return Optional.of(new EventId(position, m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** The id of the next progress reading at the same position. */
    public EventId nextReading() {
        return new EventId(position, reading + 1);
    }

    @Override
    public String toString() {
        return reading == 0 ? position.toString() : position + "~" + reading;
    }
}
