package io.videotranscoder.http;

import java.util.ArrayDeque;
import java.util.Arrays;

import io.vertx.core.buffer.Buffer;
import io.videotranscoder.storage.FileChecks;

/**
 * A file's bytes gathered into parts of one size for an upload sent a part at a time: full parts wait in order, a
 * sent part's array is filled again, and the file's first bytes are kept for the checks of its content.
 */
final class PartBuffer {

    private final int partSize;
    private final ArrayDeque<byte[]> full = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private byte[] filling;
    private int filled;
    private byte[] head;
    private long size;
    private boolean dropping;

    PartBuffer(int partSize) {
        this.partSize = partSize;
    }

    void add(Buffer bytes) {
        if (dropping) {
            size += bytes.length();
            return;
        }
        for (int at = 0; at < bytes.length(); ) {
            if (filling == null) {
                filling = spare.isEmpty() ? new byte[partSize] : spare.poll();
            }
            int n = Math.min(bytes.length() - at, partSize - filled);
            bytes.getBytes(at, at + n, filling, filled);
            filled += n;
            size += n;
            at += n;
            if (head == null && filled >= FileChecks.SNIFF_BYTES) {
                head = Arrays.copyOf(filling, FileChecks.SNIFF_BYTES);
            }
            if (filled == partSize) {
                full.add(filling);
                filling = null;
                filled = 0;
            }
        }
    }

    boolean hasFull() {
        return !full.isEmpty();
    }

    /** The oldest full part, taken out; null when none is. */
    byte[] takeFull() {
        return full.poll();
    }

    /** A part's array, sent: the next part fills it. */
    void reuse(byte[] part) {
        spare.add(part);
    }

    /** The bytes after the last full part (the first {@link #lastLength()} of it). */
    byte[] last() {
        return filling == null ? new byte[0] : filling;
    }

    int lastLength() {
        return filled;
    }

    /** The file's first bytes (all of it when it is shorter than the checks read), kept from the first call on. */
    byte[] head() {
        if (head == null) {
            head = Arrays.copyOf(last(), filled);
        }
        return head;
    }

    /** The file's bytes so far. */
    long size() {
        return size;
    }

    /** From now on the bytes are only counted, and none is kept: the file will be refused. Its first bytes stay. */
    void drop() {
        head();
        dropping = true;
        clear();
        filled = 0;
    }

    void clear() {
        full.clear();
        spare.clear();
        filling = null;
    }
}
