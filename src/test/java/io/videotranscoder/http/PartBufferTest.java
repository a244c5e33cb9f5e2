package io.videotranscoder.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import io.vertx.core.buffer.Buffer;
import io.videotranscoder.storage.FileChecks;
import org.junit.jupiter.api.Test;

class PartBufferTest {

    private static final int PART = 2 * FileChecks.SNIFF_BYTES;

    @Test
    void gathers_bytes_into_full_parts_and_keeps_the_rest_and_the_first_bytes() {
        PartBuffer parts = new PartBuffer(PART);
        byte[] bytes = counting(PART + 100);

        parts.add(Buffer.buffer(bytes));

        assertTrue(parts.hasFull());
        assertArrayEquals(Arrays.copyOf(bytes, PART), parts.takeFull());
        assertEquals(100, parts.lastLength());
        assertArrayEquals(Arrays.copyOfRange(bytes, PART, PART + 100), Arrays.copyOf(parts.last(), 100));
        assertArrayEquals(Arrays.copyOf(bytes, FileChecks.SNIFF_BYTES), parts.head());
        assertEquals(PART + 100, parts.size());
    }

    @Test
    void a_dropped_file_is_only_counted_and_keeps_its_first_bytes() {
        PartBuffer parts = new PartBuffer(PART);
        byte[] bytes = counting(PART + 100);
        parts.add(Buffer.buffer(bytes));

        parts.drop();
        parts.add(Buffer.buffer(counting(3 * PART)));

        assertFalse(parts.hasFull(), "nothing is kept to be sent");
        assertEquals(0, parts.lastLength());
        assertArrayEquals(Arrays.copyOf(bytes, FileChecks.SNIFF_BYTES), parts.head());
        assertEquals(4 * PART + 100, parts.size(), "every byte is still counted");
    }

    private static byte[] counting(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return bytes;
    }
}
