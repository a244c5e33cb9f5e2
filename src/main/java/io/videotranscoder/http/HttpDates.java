package io.videotranscoder.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The dates of HTTP headers (RFC 9110 §5.6.7), written one way by every handler that sends one. */
public final class HttpDates {

    /** IMF-fixdate: Java's RFC_1123_DATE_TIME writes a one-digit day, which HTTP does not allow. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** {@code instant} as {@code Tue, 03 Jun 2025 10:00:00 GMT}, to the second. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
