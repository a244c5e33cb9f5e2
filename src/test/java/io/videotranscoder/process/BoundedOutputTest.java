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
        BoundedOutput out = new BoundedOutput(4, 4);
        write(out, "abc");
        write(out, "defg");
        out.write('h');

        assertEquals("abcdefgh", read(out.kept()));
        assertEquals(0, out.leftOut());
    }

    @Test
    void a_longer_output_keeps_its_start_and_its_end_and_says_how_much_is_left_out() throws IOException {
        BoundedOutput out = new BoundedOutput(4, 3);
        write(out, "0123456");
        write(out, "78");
        out.write('9');
        write(out, "ab");

        assertEquals("0123\n[5 bytes left out]\n9ab", read(out.kept()));
        assertEquals(5, out.leftOut());
    }

    @Test
    void one_write_longer_than_both_keeps_its_start_and_its_end() throws IOException {
        BoundedOutput out = new BoundedOutput(2, 3);
        write(out, "0123456789");

        assertEquals("01\n[5 bytes left out]\n789", read(out.kept()));
    }

    @Test
    void a_program_that_wrote_nothing_has_no_output_as_camel_exec_says_it() {
        assertNull(new BoundedOutput(4, 4).kept());
    }

    private static void write(BoundedOutput out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes, 0, bytes.length);
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
