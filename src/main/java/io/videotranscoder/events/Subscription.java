package io.videotranscoder.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.videotranscoder.webhook.EventType;
import redis.clients.jedis.StreamEntryID;

/**
 * One client's stream: the events its filter takes, each once and in the log's order, from where it starts. Events
 * heard before it starts (while the replay is read) wait, and are then sent unless the replay already held them;
 * a progress reading is sent only when the job's percent moved since the last one sent.
 */
public final class Subscription {

    private final EventFilter filter;
    private final EventSink sink;
    private final EventPayloads payloads;
    private final Consumer<Subscription> onClose;
    private final List<LoggedEvent> early = new ArrayList<>();
    private final Map<String, Integer> percents = new HashMap<>();
    /** How far the stream has read the log, taken or not; null until started. Never sent: see {@link #shown}. */
    private EventId last;
    /**
     * The id of the last event sent, or of where the stream may resume from: the client's own, a quiet position
     * ({@link EventLog.Quiet}), or an entry its filter took. Never one it did not take: that would tell a tenant when
     * another tenant's jobs moved.
     */
    private EventId shown;
    private boolean over;

    Subscription(EventFilter filter, EventSink sink, EventPayloads payloads, Consumer<Subscription> onClose) {
        this.filter = filter;
        this.sink = sink;
        this.payloads = payloads;
        this.onClose = onClose;
    }

    public EventFilter filter() {
        return filter;
    }

    /**
     * Sends the {@code missed} entries (a replay, read after this subscription was registered), then those heard
     * meanwhile, from {@code from} on: each entry is sent once, whichever way it came.
     *
     * @param readTo the last entry the replay read, which the stream has reached even where its filter took none
     */
    public synchronized void start(EventId from, List<LoggedEvent> missed, StreamEntryID readTo) {
        last = from;
        shown = from;
        sink.moved(shown.toString());
        missed.forEach(this::emit);
        if (readTo != null && readTo.compareTo(last.position()) > 0) {
            last = EventId.at(readTo);
        }
        early.forEach(this::emit);
        early.clear();
    }

    /**
     * Every entry up to {@code quiet} has reached this stream (a position that names no entry, {@link EventLog#quiet}):
     * it stands there, so that a client that resumes from it is replayed only what follows.
     */
    synchronized void caughtUp(StreamEntryID quiet) {
        if (last == null || over || quiet.compareTo(shown.position()) <= 0) {
            return;
        }
        if (quiet.compareTo(last.position()) > 0) {
            last = EventId.at(quiet);
        }
        shown = EventId.at(quiet);
        sink.moved(shown.toString());
    }

    synchronized void logged(LoggedEvent event) {
        if (last == null) {
            early.add(event);
        } else {
            emit(event);
        }
    }

    /** Before the start, a reading is dropped: the next one follows within a second or two. */
    synchronized void progressed(LiveProgress progress) {
        if (last == null || over || !filter.matches(progress.job(), progress.tenant())
            || Integer.valueOf(progress.percent()).equals(percents.get(progress.job()))) {
            return;
        }
        percents.put(progress.job(), progress.percent());
        shown = shown.nextReading();
        sink.send(new SentEvent(shown.toString(), EventType.PROGRESS.type(), payloads.of(progress)));
    }

    /** Job {@code id} was removed: its own stream ends, and a tenant's stream forgets its last percent. */
    synchronized void removed(String id) {
        percents.remove(id); // a job removed while it ran sends no end that would have
        if (filter.oneJob() && filter.job().equals(id)) {
            end();
        }
    }

    /** The client went away, or the service stops: nothing more is sent. */
    public synchronized void close() {
        if (!over) {
            over = true;
            onClose.accept(this);
        }
    }

    private void emit(LoggedEvent logged) {
        if (over || logged.id().compareTo(last.position()) <= 0) {
            return; // sent already, by the replay or as it was heard
        }
        last = EventId.at(logged.id());
        if (!logged.takenBy(filter)) {
            return;
        }
        shown = last;
        if (logged.event().type() == EventType.PROGRESS) {
            percents.put(logged.event().job(), logged.event().progress());
        } else if (logged.ends()) {
            percents.remove(logged.event().job());
        }
        sink.send(new SentEvent(shown.toString(), logged.event().type().type(), payloads.of(logged)));
        if (filter.oneJob() && logged.ends()) {
            end();
        }
    }

    private void end() {
        if (!over) {
            close();
            sink.end();
        }
    }
}
