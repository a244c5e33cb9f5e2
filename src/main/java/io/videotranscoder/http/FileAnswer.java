package io.videotranscoder.http;

import io.videotranscoder.refusal.Refusal;

/**
 * What a GET or HEAD of a stored file is answered, in the order of RFC 9110 §13.2.2: 304 when the client's copy is
 * current, else 206 with the one range asked for (unless {@code If-Range} says the client's part is stale), else 200
 * with the whole file. A HEAD is answered as its GET would be, Range included, as nginx and Apache do, so that a
 * client can learn a range's headers without its bytes.
 *
 * @param range the range sent with a 206; null otherwise
 */
record FileAnswer(int status, ByteRange range) {

    static final FileAnswer NOT_MODIFIED = new FileAnswer(304, null);
    static final FileAnswer WHOLE = new FileAnswer(200, null);

    /** The request's conditional and Range headers, each null when absent. */
    record Conditions(String ifNoneMatch, String ifModifiedSince, String ifRange, String range) {
    }

    /** @throws Refusal out of range (416) when the range asked for lies outside the file */
    static FileAnswer decide(long size, Validators validators, Conditions request) {
        if (validators.notModified(request.ifNoneMatch(), request.ifModifiedSince())) {
            return NOT_MODIFIED;
        }
        if (request.range() == null || !validators.rangeApplies(request.ifRange())) {
            return WHOLE;
        }
        ByteRange range = ByteRange.parse(request.range(), size);
        return range == null ? WHOLE : new FileAnswer(206, range);
    }

    /** How many bytes the answer carries (or, to a HEAD, would carry). */
    long length(long size) {
        return switch (status) {
            case 304 -> 0;
            case 206 -> range.length();
            default -> size;
        };
    }

    /** Where in the file the bytes sent begin. */
    long offset() {
        return range == null ? 0 : range.start();
    }
}
