package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files an HLS playlist names: its media segments (each line that is not a tag), its init segment
 * ({@code #EXT-X-MAP:URI}) and, in a master playlist, its renditions' playlists. FFmpeg's HLS muxer exits 0 although a
 * segment's file could not be made (a disk that filled for a moment): its playlist then names a file that is not there.
 */
public final class HlsPlaylists {

    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");

    private HlsPlaylists() {
    }

    /** Whether {@code file}'s name is a playlist's. */
    public static boolean named(Path file) {
        return file.getFileName().toString().endsWith(".m3u8");
    }

    /** The names the playlist gives, in its order (relative URIs, as this service's playlists give them). */
    public static List<String> names(Path playlist) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(playlist, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (!text.startsWith("#")) {
                names.add(text);
            } else if (text.startsWith("#EXT-X-MAP:") || text.startsWith("#EXT-X-MEDIA:")) {
                Matcher uri = URI_ATTRIBUTE.matcher(text);
                if (uri.find()) {
                    names.add(uri.group(1));
                }
            }
        }
        return names;
    }
}
