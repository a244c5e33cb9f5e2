package io.videotranscoder.http;

import java.time.Duration;

import io.videotranscoder.events.SentEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventFramesTest {

    @Test
    void an_event_is_its_id_its_name_and_its_data_ended_by_a_blank_line() {
        String frame = EventFrames.event(new SentEvent("1796115965862-0", "job.started",
                "{\"type\":\"job.started\"}"));

        assertEquals("id: 1796115965862-0\nevent: job.started\ndata: {\"type\":\"job.started\"}\n\n", frame);
    }

    @Test
    void each_line_of_data_is_a_data_field_of_its_own() {
        String frame = EventFrames.event(new SentEvent("1-0", "note", "one\ntwo\r\nthree\rfour"));

        assertEquals("id: 1-0\nevent: note\ndata: one\ndata: two\ndata: three\ndata: four\n\n", frame);
    }

    @Test
    void an_id_alone_dispatches_nothing_and_a_comment_starts_with_a_colon() {
        assertEquals("id: 0-0\n\n", EventFrames.id("0-0"));
        assertEquals(": keep-alive\n\n", EventFrames.comment("keep-alive"));
        assertEquals(": keep-alive\nid: 7-0~2\n\n", EventFrames.keepAlive("7-0~2"));
        assertEquals("retry: 3000\n\n", EventFrames.retry(Duration.ofSeconds(3)));
    }

    @Test
    void a_line_break_in_a_field_would_start_another_field_and_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> EventFrames.event(new SentEvent("1-0\ndata: x", "a", "")));
        assertThrows(IllegalArgumentException.class, () -> EventFrames.event(new SentEvent("1-0", "a\rb", "")));
    }
}
