package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegProgress;

import org.junit.jupiter.api.Test;

/** An encode is stopped when it stalls, runs past the timeout, or runs far longer than its input lasts. */
class EncodeLimitsTest {

    private static final long START = 1_000_000;
    private final EncodeLimits limits = new EncodeLimits(Duration.ofMinutes(2), 10, Duration.ofMinutes(5),
            Duration.ofHours(6));

    private static WatchedEncode encode(Double durationSeconds) {
        return new WatchedEncode("j1", "a1", Path.of("/videos/j1"), Path.of("/videos/j1/.work/a1"),
                durationSeconds, START);
    }

    private static long minutes(long minutes) {
        return START + Duration.ofMinutes(minutes).toMillis();
    }

    @Test
    void the_limit_is_a_multiple_of_the_input_duration_but_never_below_the_minimum() {
        assertEquals(Duration.ofMinutes(10), limits.limit(60.0));
        assertEquals(Duration.ofMinutes(5), limits.limit(6.0));
    }

    @Test
    void an_input_of_unknown_length_has_no_limit_of_its_own() {
        assertEquals(Duration.ofDays(365), limits.limit(null));
    }

    @Test
    void an_encode_whose_media_time_stands_still_is_stalled() {
        assertEquals(Optional.empty(), limits.overdue(encode(null), minutes(2)));
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), limits.overdue(encode(null), minutes(3)));
    }

    @Test
    void an_encode_that_advances_is_not_stalled_but_too_slow_past_its_limit() {
        WatchedEncode encode = encode(60.0);
        for (int minute = 1; minute <= 11; minute++) {
            encode.report(new FfmpegProgress.Report(minute, 0.1, 2.0), minutes(minute));
        }
        assertEquals(Optional.empty(), limits.overdue(encode, minutes(10)));
        assertEquals(Optional.of(EncodeWatcher.Stop.TOO_SLOW), limits.overdue(encode, minutes(11)));
    }

    @Test
    void the_encode_timeout_applies_to_any_encode() {
        EncodeLimits tight = new EncodeLimits(Duration.ofHours(1), 10, Duration.ofMinutes(5), Duration.ofMinutes(3));
        assertEquals(Optional.of(EncodeWatcher.Stop.TIMEOUT), tight.overdue(encode(3600.0), minutes(4)));
    }
}
