package io.videotranscoder.http.tus;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.videotranscoder.refusal.Refusal;

/**
 * The {@code Upload-Metadata} header of tus 1.0.0: comma-separated pairs of a key (no spaces or commas) and, after a
 * space, its value in base64; a key may stand alone (an empty value). Keys are unique.
 */
public final class TusMetadata {

    /** Far more than a file name and a few options need; the header is stored with the upload. */
    static final int MAX_LENGTH = 4096;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e&&[^,]]+");

    private TusMetadata() {
    }

    /** @throws Refusal (invalid field Upload-Metadata) when the header is not as the protocol says */
    public static Map<String, String> parse(String header) {
        if (header != null && header.length() > MAX_LENGTH) {
            throw invalid("it is longer than " + MAX_LENGTH + " characters");
        }
        return stored(header);
    }

    /**
     * The values of a header {@link #format} wrote, from one {@link #parse} took: whatever its length, which may have
     * grown (bytes that are not UTF-8 written as U+FFFD, padding a client left out), the upload's own.
     */
    static Map<String, String> stored(String header) {
        Map<String, String> values = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return values;
        }
        for (String pair : header.split(",")) {
            String[] parts = pair.strip().split(" ", -1);
            if (parts.length > 2 || !KEY.matcher(parts[0]).matches()) {
                throw invalid("\"" + pair.strip() + "\" is not a key and a base64 value");
            }
            String value;
            try {
                value = parts.length == 2 ? new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        : "";
            } catch (IllegalArgumentException e) {
                throw invalid("the value of " + parts[0] + " is not base64");
            }
            if (values.put(parts[0], value) != null) {
                throw invalid(parts[0] + " is given twice");
            }
        }
        return values;
    }

    /** The header for {@code values}, as a client sends it. */
    public static String format(Map<String, String> values) {
        StringBuilder header = new StringBuilder();
        values.forEach((key, value) -> header.append(header.isEmpty() ? "" : ",").append(key).append(' ')
                .append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return header.toString();
    }

    private static Refusal invalid(String why) {
        return Refusal.invalidField("Upload-Metadata", "Upload-Metadata must be comma-separated pairs of a key and "
                                                       + "its value in base64: " + why + ".");
    }
}
