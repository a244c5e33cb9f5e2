package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.process.StartRefusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

    @Test
    void follows_the_standard_webhooks_schedule_and_ends_after_the_tenth_attempt() {
        RetrySchedule schedule = new RetrySchedule(1, () -> 0.5); // no jitter

        List<Duration> waits = new ArrayList<>();
        for (int made = 1; made < RetrySchedule.attempts(); made++) {
            waits.add(schedule.after(made, Optional.empty()).orElseThrow());
        }

        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14), Duration.ofHours(20),
                Duration.ofHours(24)), waits);
        assertEquals(10, RetrySchedule.attempts());
        assertEquals(Optional.empty(), schedule.after(10, Optional.empty()));
    }

    @Test
    void jitter_varies_each_wait_by_at_most_a_tenth() {
        assertEquals(Duration.ofMillis(4500), new RetrySchedule(1, () -> 0.0).after(1, Optional.empty()).orElseThrow());
        assertEquals(Duration.ofMillis(5400), new RetrySchedule(1, () -> 0.9).after(1, Optional.empty())
                .orElseThrow());
    }

    @Test
    void the_scale_shortens_every_wait() {
        RetrySchedule schedule = new RetrySchedule(0.001, () -> 0.5);

        assertEquals(Duration.ofMillis(5), schedule.after(1, Optional.empty()).orElseThrow());
        assertEquals(Duration.ofMillis(86_400), schedule.after(9, Optional.empty()).orElseThrow());
        assertThrows(StartRefusal.class, () -> new RetrySchedule(0, () -> 0.5));
    }

    @Test
    void retry_after_lengthens_a_wait_but_never_shortens_it() {
        RetrySchedule schedule = new RetrySchedule(1, () -> 0.5);

        assertEquals(Duration.ofSeconds(60), schedule.after(1, Optional.of(Duration.ofSeconds(60))).orElseThrow());
        assertEquals(Duration.ofMinutes(5), schedule.after(2, Optional.of(Duration.ofSeconds(1))).orElseThrow());
        assertEquals(Optional.empty(), schedule.after(10, Optional.of(Duration.ofSeconds(1))));
    }

    @Test
    void retry_after_is_read_as_seconds_or_an_http_date_and_bounded_to_a_day() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Tue, 01 Dec 2026 10:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ofHours(24)), RetryAfter.parse("9999999999999", now));
        assertEquals(Optional.of(Duration.ofHours(24)), RetryAfter.parse("604800", now));
        assertTrue(RetryAfter.parse("soon", now).isEmpty());
        assertTrue(RetryAfter.parse("Tue, 01 Dec 2026 09:00:00 GMT", now).isEmpty()); // in the past
        assertTrue(RetryAfter.parse(null, now).isEmpty());
    }
}
