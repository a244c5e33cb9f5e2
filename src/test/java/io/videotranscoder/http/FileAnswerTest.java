package io.videotranscoder.http;

import java.time.Instant;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which answer a GET or HEAD of a file gets: 304 before ranges, If-Range before Range, 416 outside the file. */
class FileAnswerTest {

    private static final long SIZE = 1000;
    private static final Validators FILE = Validators.of(SIZE, Instant.parse("2026-12-01T08:05:09Z"));

    private static FileAnswer decide(String ifNoneMatch, String ifModifiedSince, String ifRange, String range) {
        return FileAnswer.decide(SIZE, FILE, new FileAnswer.Conditions(ifNoneMatch, ifModifiedSince, ifRange, range));
    }

    @Test
    void a_plain_request_gets_the_whole_file() {
        FileAnswer whole = decide(null, null, null, null);
        assertEquals(200, whole.status());
        assertEquals(SIZE, whole.length(SIZE));
        assertEquals(0, whole.offset());
    }

    @Test
    void a_range_gets_206_with_its_length_and_offset() {
        FileAnswer part = decide(null, null, null, "bytes=100-199");
        assertEquals(206, part.status());
        assertEquals(100, part.length(SIZE));
        assertEquals(100, part.offset());
        assertEquals("bytes 100-199/1000", part.range().contentRange(SIZE));
    }

    @Test
    void a_current_copy_is_304_even_when_a_range_is_asked() {
        assertEquals(304, decide(FILE.etag(), null, null, "bytes=0-9").status());
        assertEquals(304, decide(null, FILE.lastModifiedHeader(), null, null).status());
        assertEquals(0, FileAnswer.NOT_MODIFIED.length(SIZE));
    }

    @Test
    void a_stale_if_range_gets_the_whole_file_and_a_current_one_the_range() {
        assertEquals(200, decide(null, null, "\"older\"", "bytes=0-9").status());
        assertEquals(206, decide(null, null, FILE.etag(), "bytes=0-9").status());
        assertEquals(206, decide(null, null, FILE.lastModifiedHeader(), "bytes=0-9").status());
    }

    @Test
    void a_range_outside_the_file_is_refused_and_the_header_says_its_size() {
        Refusal outside = assertThrows(Refusal.class, () -> decide(null, null, null, "bytes=1000-"));
        assertEquals(416, Problem.of(outside, null).status());
        assertEquals("bytes */1000", ByteRange.unsatisfied(SIZE));
    }

    @Test
    void a_range_of_another_unit_or_several_ranges_get_the_whole_file() {
        assertEquals(200, decide(null, null, null, "items=0-9").status());
        assertEquals(200, decide(null, null, null, "bytes=0-9,20-29").status());
    }
}
