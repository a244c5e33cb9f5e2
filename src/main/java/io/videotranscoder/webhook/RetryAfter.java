package io.videotranscoder.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A receiver's {@code Retry-After} (seconds, or an HTTP date), at most a day: a longer one is not believed. */
public final class RetryAfter {

    static final Duration MAX = Duration.ofHours(24);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        Duration wait;
        if (text.chars().allMatch(Character::isDigit)) {
            wait = text.length() > 9 ? MAX : Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.empty();
        }
        return Optional.of(wait.compareTo(MAX) > 0 ? MAX : wait);
    }
}
