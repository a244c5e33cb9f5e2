package io.videotranscoder.http.tus;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The headers of tus answers as the protocol writes them. */
class TusAnswersTest {

    /** tus takes RFC 9110's IMF-fixdate, whose day has two digits; Java's RFC 1123 formatter writes one. */
    @Test
    void upload_expires_is_an_imf_fixdate_with_a_two_digit_day() {
        assertEquals("Tue, 03 Jun 2025 10:00:00 GMT", TusAnswers.date(Instant.parse("2025-06-03T10:00:00.250Z")));
    }
}
