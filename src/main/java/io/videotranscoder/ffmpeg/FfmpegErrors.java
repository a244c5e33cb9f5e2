package io.videotranscoder.ffmpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Turns FFmpeg's stderr into a reason a person can act on. */
public final class FfmpegErrors {

    private static final Pattern ADDRESS = Pattern.compile(" @ 0x[0-9a-f]+");
    private static final int MAX_LINES = 4;
    private static final int MAX_LENGTH = 600;

    private FfmpegErrors() {
    }

    /**
     * The last meaningful lines (FFmpeg runs with {@code -v error}, so they are its errors), with the server's folders
     * replaced by {@code dataRoot}-relative names so that no host path reaches a client.
     */
    public static String summarize(String stderr, String dataRoot) {
        if (stderr == null || stderr.isBlank()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        for (String line : stderr.split("\\R")) {
            // "[mov,mp4 @ 0x55d0c8a4c240] moov atom not found": the address means nothing to a person.
            String trimmed = ADDRESS.matcher(line).replaceAll("").strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("Last message repeated")) {
                lines.add(trimmed);
            }
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
        String text = String.join("; ", last);
        if (dataRoot != null && !dataRoot.isEmpty()) {
            text = text.replace("file:" + dataRoot + "/", "").replace(dataRoot + "/", "").replace(dataRoot, "data root");
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…" : text;
    }
}
