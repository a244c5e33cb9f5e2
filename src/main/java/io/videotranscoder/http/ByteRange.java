package io.videotranscoder.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.videotranscoder.refusal.Refusal;

/** One byte range of a file, from an HTTP {@code Range} header (RFC 9110 §14.1.2); several ranges are not served. */
public record ByteRange(long start, long end) {

    /** One range; the unit's name is case-insensitive (RFC 9110 §14.1). */
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)", Pattern.CASE_INSENSITIVE);

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
        long last = m.group(2).isEmpty() ? Long.MAX_VALUE : number(m.group(2));
        if (last < start) {
            return null; // an invalid range (bytes=5-2), ignored as RFC 9110 says: not one outside the file
        }
        if (start >= size) {
            throw unsatisfiable(size);
        }
        return new ByteRange(start, Math.min(last, size - 1));
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
