package io.videotranscoder.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stored file's validators (RFC 9110 §8.8): a strong {@code ETag} made of its size and modification time, which
 * every API instance sharing the data root computes alike and which changes whenever the file is written again, and
 * its {@code Last-Modified}; and the conditional requests they answer.
 */
record Validators(String etag, Instant lastModified) {

    private static final Pattern ENTITY_TAG = Pattern.compile("(W/)?(\"[^\"]*\")");

    /** @param modified the file's modification time, at whatever precision the file system keeps */
    static Validators of(long size, Instant modified) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, modified);
        return new Validators("\"" + Long.toHexString(size) + "-" + Long.toHexString(micros) + "\"",
                modified.truncatedTo(ChronoUnit.SECONDS));
    }

    String lastModifiedHeader() {
        return HttpDates.format(lastModified);
    }

    /**
     * Whether a GET or HEAD is answered 304 (RFC 9110 §13.2.2): {@code If-None-Match} when sent (weak comparison,
     * {@code *} matches), otherwise {@code If-Modified-Since}; a date that is not one is ignored.
     */
    boolean notModified(String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            if (ifNoneMatch.strip().equals("*")) {
                return true;
            }
            Matcher tags = ENTITY_TAG.matcher(ifNoneMatch);
            while (tags.find()) {
                if (tags.group(2).equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        Instant since = date(ifModifiedSince);
        return since != null && !lastModified.isAfter(since);
    }

    /**
     * Whether a {@code Range} is honoured given {@code If-Range} (RFC 9110 §13.1.5): always without one; with an
     * entity tag, when it is this strong one; with a date, when it is exactly {@code Last-Modified}. Otherwise the
     * client's partial copy is stale and gets the whole file.
     */
    boolean rangeApplies(String ifRange) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag); // strong comparison: a weak tag never matches
        }
        return lastModified.equals(date(value));
    }

    /** An HTTP date (IMF-fixdate, or the one-digit day some clients send); null when it is not one. */
    static Instant date(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
