package io.videotranscoder.process;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a program wrote on one of its streams, kept within bounds: its first {@code head} bytes and its last
 * {@code tail}, with a line between them that says how many were left out. A program's output held whole (as
 * camel-exec holds it) grew with what the program was given: ffprobe printed a file's metadata tags of megabytes,
 * control characters escaped six times over, and FFmpeg one line for each broken frame of a long input.
 */
public final class BoundedOutput extends OutputStream {

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final int headLimit;
    private final byte[] tail;
    /** Where the next byte of the tail goes. */
    private int next;
    /** The bytes written past the head, whether the tail keeps them or not. */
    private long pastHead;

    public BoundedOutput(int head, int tail) {
        this.headLimit = head;
        this.tail = new byte[tail];
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int toHead = Math.min(length, headLimit - head.size());
        head.write(bytes, offset, toHead);
        int from = offset + toHead;
        int left = length - toHead;
        pastHead += left;
        if (left >= tail.length) {
            System.arraycopy(bytes, from + left - tail.length, tail, 0, tail.length);
            next = 0;
        } else if (left > 0) {
            int first = Math.min(left, tail.length - next);
            System.arraycopy(bytes, from, tail, next, first);
            System.arraycopy(bytes, from + first, tail, 0, left - first);
            next = (next + left) % tail.length;
        }
    }

    /** How many bytes were left out between the head and the tail. */
    public synchronized long leftOut() {
        return Math.max(0, pastHead - tail.length);
    }

    /** What was kept, in order; null when the program wrote nothing (as camel-exec answers then). */
    public synchronized InputStream kept() {
        if (head.size() == 0) {
            return null;
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream(head.size() + tail.length + 64);
        kept.writeBytes(head.toByteArray());
        if (leftOut() > 0) {
            kept.writeBytes(("\n[" + leftOut() + " bytes left out]\n").getBytes(StandardCharsets.US_ASCII));
            kept.writeBytes(Arrays.copyOfRange(tail, next, tail.length));
            kept.writeBytes(Arrays.copyOfRange(tail, 0, next));
        } else {
            kept.writeBytes(Arrays.copyOfRange(tail, 0, (int) pastHead));
        }
        return new ByteArrayInputStream(kept.toByteArray());
    }
}
