package io.videotranscoder.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EncodeWatcherTest {

    @Test
    void ffmpeg_reports_as_often_as_the_watcher_looks_and_at_least_twice_a_second() {
        assertEquals(Duration.ofMillis(100), EncodeWatcher.reportPeriod(Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(500), EncodeWatcher.reportPeriod(Duration.ofMillis(500)));
        assertEquals(Duration.ofMillis(500), EncodeWatcher.reportPeriod(Duration.ofSeconds(1)));
    }
}
