package io.videotranscoder.job;

/** The names clients give their files, made fit to show and to store. */
public final class ClientNames {

    private static final int MAX_NAME_LENGTH = 255;

    private ClientNames() {
    }

    /** The client's name as metadata: its last path segment, without control characters, of bounded length. */
    public static String displayName(String name) {
        if (name == null) {
            return null;
        }
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        // Nor a leading dot: results named after it (" .moving-1.mp4" taken from the inbox) would be hidden, or taken
        // for a staged copy.
        String clean = last.codePoints().filter(c -> !Character.isISOControl(c) && !bidiControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                .replaceFirst("^[.\\s\\p{Z}]+", "").strip();
        if (clean.isEmpty()) {
            return null;
        }
        if (clean.codePointCount(0, clean.length()) <= MAX_NAME_LENGTH) {
            return clean;
        }
        // Cut the base name, keep a short extension: it tells what the file was.
        int dot = clean.lastIndexOf('.');
        String ext = dot > 0 && clean.length() - dot <= 16 ? clean.substring(dot) : "";
        String base = clean.substring(0, clean.length() - ext.length());
        return base.substring(0, base.offsetByCodePoints(0, MAX_NAME_LENGTH - ext.length())) + ext;
    }

    /**
     * A character that reorders the text around it (an override, an embedding, an isolate, a mark): a name could show
     * its end first ("clip", U+202E, "gpj.mp4" reads "clip4pm.jpg").
     */
    private static boolean bidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }
}
