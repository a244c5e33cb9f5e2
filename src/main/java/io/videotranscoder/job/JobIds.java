package io.videotranscoder.job;

import java.util.UUID;
import java.util.regex.Pattern;

/** Job ids are random UUIDs chosen by the server; anything else in a URL names no job. */
public final class JobIds {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private JobIds() {
    }

    public static String next() {
        return UUID.randomUUID().toString();
    }

    public static boolean valid(String id) {
        return id != null && UUID_TEXT.matcher(id).matches();
    }
}
