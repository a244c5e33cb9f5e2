package io.videotranscoder.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.videotranscoder.refusal.Refusal;

/** One byte range of a file, from an HTTP {@code Range} header (RFC 9110 §14.1.2); several ranges are not served. */
public record ByteRange(long start, long end) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return end - start + 1;
    }

    /** The {@code Content-Range} of a 206 carrying this range of a file of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }

    /** The {@code Content-Range} of a 416: the file's size, so that a client can ask again within it. */
    public static String unsatisfied(long size) {
        return "bytes */" + size;
    }

    /**
     * @return the range, {@code null} when the whole file should be sent (no header, or one this server ignores)
     * @throws Refusal out of range (416) when the range lies outside the file
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null; // RFC 9110: a server may ignore a Range it does not understand
        }
        if (m.group(1).isEmpty()) {
            long suffix = number(m.group(2));
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(size);
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long start = number(m.group(1));
        long end = m.group(2).isEmpty() ? size - 1 : Math.min(number(m.group(2)), size - 1);
        if (start >= size || end < start) {
            throw unsatisfiable(size);
        }
        return new ByteRange(start, end);
    }

    /** Digits as a number, any too large for a long taken as the largest: past any file's end either way. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    private static Refusal unsatisfiable(long size) {
        return new Refusal(Refusal.Kind.OUT_OF_RANGE, "The file has " + size + " bytes.", "Range");
    }
}
