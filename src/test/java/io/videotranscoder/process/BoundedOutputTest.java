package io.videotranscoder.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BoundedOutputTest {

    @Test
    void output_within_the_head_and_tail_is_kept_whole() throws IOException {
        BoundedOutput out = written(4, 4, "abc", "defg", "h");

        assertEquals("abcdefgh", read(out.kept()));
        assertEquals(0, out.leftOut());
    }

    @Test
    void a_longer_output_keeps_its_start_and_its_end_and_says_how_much_is_left_out() throws IOException {
        BoundedOutput out = written(4, 3, "0123456", "78", "9", "ab");

        assertEquals("0123\n[5 bytes left out]\n9ab", read(out.kept()));
        assertEquals(5, out.leftOut());
    }

    @Test
    void one_write_longer_than_both_keeps_its_start_and_its_end() throws IOException {
        assertEquals("01\n[5 bytes left out]\n789", read(written(2, 3, "0123456789").kept()));
    }

    @Test
    void a_program_that_wrote_nothing_has_no_output_as_camel_exec_says_it() {
        assertNull(new BoundedOutput(4, 4).kept());
    }

    /** What {@code pieces} leave, one write each (a piece of one byte through {@code write(int)}). */
    private static BoundedOutput written(int head, int tail, String... pieces) {
        BoundedOutput out = new BoundedOutput(head, tail);
        for (String piece : pieces) {
            byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 1) {
                out.write(bytes[0]);
            } else {
                out.write(bytes, 0, bytes.length);
            }
        }
        return out;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
