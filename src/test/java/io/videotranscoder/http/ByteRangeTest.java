package io.videotranscoder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A single Range header becomes one clamped byte range; unsatisfiable ones are 416, others ignored. */
class ByteRangeTest {

    private static final long SIZE = 1000;

    @Test
    void no_header_means_the_whole_file() {
        assertNull(ByteRange.parse(null, SIZE));
    }

    @ParameterizedTest
    @CsvSource({"bytes=0-99, 0, 99, 100", "bytes=500-, 500, 999, 500", "bytes=-100, 900, 999, 100",
            "bytes=990-5000, 990, 999, 10", "bytes=-5000, 0, 999, 1000", "bytes=999-999, 999, 999, 1",
            "' bytes=0-0 ', 0, 0, 1", "bytes=10-99999999999999999999, 10, 999, 990",
            "bytes=-99999999999999999999, 0, 999, 1000", "Bytes=0-99, 0, 99, 100"})
    void parses_a_single_range(String header, long start, long end, long length) {
        ByteRange range = ByteRange.parse(header, SIZE);
        assertEquals(new ByteRange(start, end), range);
        assertEquals(length, range.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=99999999999999999999-"})
    void an_unsatisfiable_range_is_416(String header) {
        Refusal e = assertThrows(Refusal.class, () -> ByteRange.parse(header, SIZE));
        assertEquals(416, Problem.of(e, null).status());
    }

    @Test
    void any_range_of_an_empty_file_is_416() {
        assertEquals(416, Problem.of(assertThrows(Refusal.class, () -> ByteRange.parse("bytes=0-", 0)), null).status());
        assertEquals(416, Problem.of(assertThrows(Refusal.class, () -> ByteRange.parse("bytes=-10", 0)), null).status());
    }

    /** Including an invalid one (its last byte before its first), which RFC 9110 has ignored rather than refused. */
    @ParameterizedTest
    @ValueSource(strings = {"items=0-1", "bytes=0-1,5-6", "bytes=-", "bytes=a-b", "", "bytes 0-1", "bytes=5-1",
            "bytes=2000-1000"})
    void an_unsupported_range_is_ignored(String header) {
        assertNull(ByteRange.parse(header, SIZE));
    }
}
