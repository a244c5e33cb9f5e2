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
    /** A segment's length, as FFmpeg writes it ({@code #EXTINF:6.000000,}). */
    private static final Pattern SEGMENT_LENGTH = Pattern.compile("#EXTINF:([0-9]{1,9}(?:\\.[0-9]{1,9})?)");

    private HlsPlaylists() {
    }

    /** Whether {@code file}'s name is a playlist's. */
    public static boolean named(Path file) {
        return file.getFileName().toString().endsWith(".m3u8");
    }

    /**
     * A media playlist's init segment ({@code #EXT-X-MAP}), its media segments from one on, and when that one begins,
     * counted from the playlist's start (the durations of the segments before it).
     */
    public record Tail(String init, List<String> names, double start) {
    }

    /**
     * The segments of {@code media}, a media playlist, from the one that holds the time {@code from} (counted from
     * its start) to its last; null where it names no segment, or no init segment.
     */
    public static Tail tail(Path media, double from) throws IOException {
        String init = null;
        List<String> names = new ArrayList<>();
        double elapsed = 0;
        double start = 0;
        double duration = 0;
        boolean onlyBefore = false;
        for (String line : Files.readAllLines(media, StandardCharsets.UTF_8)) {
            String text = line.strip();
            Matcher length = SEGMENT_LENGTH.matcher(text);
            if (length.lookingAt()) {
                duration = Double.parseDouble(length.group(1));
            } else if (text.startsWith("#EXT-X-MAP:")) {
                Matcher uri = URI_ATTRIBUTE.matcher(text);
                init = uri.find() ? uri.group(1) : init;
            } else if (!text.isEmpty() && !text.startsWith("#")) {
                boolean endsBefore = elapsed + duration <= from;
                if (endsBefore || onlyBefore) { // one that ends before is kept only while no later one is read
                    names.clear();
                    start = elapsed;
                }
                onlyBefore = endsBefore;
                names.add(text);
                elapsed += duration;
            }
        }
        return init == null || names.isEmpty() ? null : new Tail(init, List.copyOf(names), start);
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
