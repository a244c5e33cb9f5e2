package io.videotranscoder.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a ladder's HLS output is checked for against its source: each rendition whole, cut where its keyframes are. */
public final class HlsChecks {

    private HlsChecks() {
    }

    /** The renditions' playlists the master playlist lists, in its order. */
    public static List<Path> renditions(Path master) throws Exception {
        return Files.readAllLines(master).stream().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(master::resolveSibling).toList();
    }

    /**
     * Every rendition has the source's frames at its rate, its playlist lasts as long as the source's video (within
     * a frame), each HLS segment but the last lasts {@code hlsSeconds} and begins on a keyframe, and it decodes
     * without an error.
     */
    public static void assertRenditionsEquivalent(Path source, Path master, int renditions, int hlsSeconds)
            throws Exception {
        double rate = MediaChecks.frameRate(source);
        List<Path> playlists = renditions(master);
        assertEquals(renditions, playlists.size(), "the master playlist lists every rendition: " + playlists);
        for (Path playlist : playlists) {
            String name = playlist.getFileName().toString();
            assertEquals(rate, MediaChecks.frameRate(playlist), 1e-6, name + ": the source's frame rate");
            assertEquals(MediaChecks.frames(source), MediaChecks.frames(playlist), name + ": every frame, once");
            List<Double> durations = segmentDurations(playlist);
            double total = durations.stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(MediaChecks.duration(source, "v:0"), total, 1 / rate, name + " lasts as the source");
            List<Double> keyframes = MediaChecks.keyframes(playlist);
            double at = keyframes.get(0);
            for (double duration : durations.subList(0, durations.size() - 1)) {
                assertEquals(hlsSeconds, duration, 1 / rate, name + ": HLS segments keep their duration " + durations);
                at += duration;
                double boundary = at;
                assertTrue(keyframes.stream().anyMatch(k -> Math.abs(k - boundary) < 0.5 / rate),
                        name + ": a keyframe where a segment begins, at " + boundary + " s: " + keyframes);
            }
            assertEquals("", MediaChecks.decodeErrors(playlist), name + " decodes without an error");
        }
    }

    /** The {@code #EXTINF} durations of a rendition's playlist, in seconds. */
    public static List<Double> segmentDurations(Path playlist) throws Exception {
        List<Double> durations = new ArrayList<>();
        for (String line : Files.readAllLines(playlist)) {
            if (line.startsWith("#EXTINF:")) {
                durations.add(Double.valueOf(line.substring("#EXTINF:".length()).replaceAll(",.*", "")));
            }
        }
        return durations;
    }
}
