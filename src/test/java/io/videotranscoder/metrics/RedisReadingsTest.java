package io.videotranscoder.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedisReadingsTest {

    @Test
    void a_value_is_read_at_each_refresh_and_never_when_asked_for() {
        AtomicInteger reads = new AtomicInteger();
        RedisReadings readings = new RedisReadings(Duration.ofMinutes(1));
        Supplier<Integer> value = readings.of(reads::incrementAndGet);

        assertNull(value.get(), "not read yet: unknown");
        readings.refresh();
        assertEquals(1, value.get());
        assertEquals(1, value.get());
        assertEquals(1, reads.get(), "asking reads nothing");
    }

    @Test
    void a_failed_reading_is_unknown_and_so_is_one_older_than_three_periods() {
        AtomicInteger reads = new AtomicInteger();
        RedisReadings readings = new RedisReadings(Duration.ofMillis(50));
        Supplier<Integer> value = readings.of(() -> {
            if (reads.incrementAndGet() == 2) {
                throw new IllegalStateException("Redis unreachable");
            }
            return reads.get();
        });

        readings.refresh();
        assertEquals(1, value.get());
        readings.refresh();
        assertNull(value.get(), "the last reading failed");
        readings.refresh();
        assertEquals(3, value.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> value.get() == null); // Redis holding the next reading
    }
}
