package io.videotranscoder.http;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ETag and Last-Modified of a stored file, and the conditional requests they answer (RFC 9110 §13). */
class ValidatorsTest {

    private static final Instant MODIFIED = Instant.parse("2026-12-01T08:05:09.123456789Z");
    private static final Validators FILE = Validators.of(51544, MODIFIED);

    @Test
    void the_etag_is_strong_and_made_of_size_and_modification_time() {
        assertEquals("\"c958-" + Long.toHexString(1_796_112_309_123_456L) + "\"", FILE.etag());
        assertNotEquals(FILE.etag(), Validators.of(51545, MODIFIED).etag(), "another size");
        assertNotEquals(FILE.etag(), Validators.of(51544, MODIFIED.plusMillis(1)).etag(), "written again");
        assertEquals(FILE, Validators.of(51544, MODIFIED), "the same file gives the same tag on every instance");
    }

    @Test
    void last_modified_is_an_imf_fixdate_with_a_two_digit_day() {
        assertEquals("Tue, 01 Dec 2026 08:05:09 GMT", FILE.lastModifiedHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "\"c958-661ab2a0f9a80\"", "\"other\", \"c958-661ab2a0f9a80\"",
            "W/\"c958-661ab2a0f9a80\""})
    void if_none_match_with_the_tag_or_a_star_is_not_modified(String ifNoneMatch) {
        Validators file = new Validators("\"c958-661ab2a0f9a80\"", MODIFIED);
        assertTrue(file.notModified(ifNoneMatch, null));
    }

    @Test
    void if_none_match_wins_over_if_modified_since() {
        String later = "Wed, 02 Dec 2026 00:00:00 GMT";
        assertFalse(FILE.notModified("\"other\"", later), "a tag that does not match: the file is sent");
        assertTrue(FILE.notModified(null, later));
    }

    @Test
    void if_modified_since_compares_whole_seconds() {
        assertTrue(FILE.notModified(null, "Tue, 01 Dec 2026 08:05:09 GMT"), "the date Last-Modified said");
        assertTrue(FILE.notModified(null, "Tue, 1 Dec 2026 08:05:10 GMT"), "a one-digit day is read too");
        assertFalse(FILE.notModified(null, "Tue, 01 Dec 2026 08:05:08 GMT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2026-12-01T08:05:09Z", "Tue, 01 Dec 2026 25:05:09 GMT"})
    void a_date_that_is_not_an_http_date_is_ignored(String ifModifiedSince) {
        assertFalse(FILE.notModified(null, ifModifiedSince));
        assertNull(Validators.date(ifModifiedSince));
    }

    @Test
    void if_range_keeps_the_range_only_for_the_current_strong_tag_or_exact_date() {
        assertTrue(FILE.rangeApplies(null));
        assertTrue(FILE.rangeApplies(FILE.etag()));
        assertTrue(FILE.rangeApplies(FILE.lastModifiedHeader()));
        assertFalse(FILE.rangeApplies("W/" + FILE.etag()), "a weak tag never matches");
        assertFalse(FILE.rangeApplies("\"older\""));
        assertFalse(FILE.rangeApplies("Tue, 01 Dec 2026 08:05:10 GMT"), "a later date is not the file's");
        assertFalse(FILE.rangeApplies("garbage"));
    }
}
