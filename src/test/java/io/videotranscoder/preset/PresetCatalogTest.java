package io.videotranscoder.preset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presets are data: the shipped YAML, an operator's folder on top, every value checked before FFmpeg sees it. */
class PresetCatalogTest {

    private static final Set<String> ENCODERS = Set.of("libx264", "aac", "libx265", "libvpx-vp9", "libopus",
            "libsvtav1", "mjpeg");

    @Test
    void ships_the_presets_users_expect() throws Exception {
        PresetCatalog catalog = PresetCatalog.load(null, ENCODERS);
        assertEquals("audio-aac, av1-720p, h264-1080p, h264-480p, h264-720p, hevc-1080p, hls-ladder, thumbnail, "
                     + "vp9-720p", catalog.names());
        Preset standard = catalog.find(PresetCatalog.DEFAULT).orElseThrow();
        assertEquals("libx264", standard.video().codec());
        assertEquals("1000k", standard.video().bitrate());
        assertEquals(1280, standard.video().width());
        assertEquals(720, standard.video().height());
        assertTrue(catalog.all().stream().allMatch(catalog::available));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "../etc", "H264-720P", ""})
    void an_unknown_name_is_refused_as_the_preset_field(String name) throws Exception {
        Refusal refused = assertThrows(Refusal.class, () -> PresetCatalog.load(null, ENCODERS).usable(name));

        assertEquals(Refusal.Kind.INVALID_FIELD, refused.kind());
        assertEquals("preset", refused.field());
    }

    @Test
    void a_preset_this_ffmpeg_cannot_run_is_refused_as_unprocessable() throws Exception {
        Refusal refused = assertThrows(Refusal.class, () -> PresetCatalog.load(null, Set.of("libx264", "aac"))
                .usable("vp9-720p"));

        assertEquals("preset", refused.field());
        assertTrue(refused.getMessage().contains("no libvpx-vp9, libopus encoder"), refused.getMessage());
    }

    @Test
    void marks_a_preset_unavailable_when_ffmpeg_lacks_an_encoder() throws Exception {
        PresetCatalog catalog = PresetCatalog.load(null, Set.of("libx264", "aac"));
        assertTrue(catalog.available(catalog.find("h264-720p").orElseThrow()));
        Preset vp9 = catalog.find("vp9-720p").orElseThrow();
        assertFalse(catalog.available(vp9));
        assertEquals("this FFmpeg has no libvpx-vp9, libopus encoder", catalog.unavailableReason(vp9));
    }

    @Test
    void an_operator_folder_adds_and_replaces_presets(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.yaml"), """
                presets:
                  - name: h264-720p
                    description: ours
                    container: mp4
                    video: { codec: libx264, bitrate: 2M, width: 1280, height: 720 }
                    audio: { codec: aac, bitrate: 192k }
                  - name: tiny
                    container: mp4
                    video: { codec: libx264, crf: 30, width: 320, height: 240 }
                    audio: { codec: aac }
                """);
        PresetCatalog catalog = PresetCatalog.load(dir, ENCODERS);
        assertEquals("2M", catalog.find("h264-720p").orElseThrow().video().bitrate());
        assertEquals(30, catalog.find("tiny").orElseThrow().video().crf());
        assertTrue(catalog.find("hls-ladder").isPresent());
    }

    /** Each a good preset but for one thing (its audio too, so that the refusal is that thing's). */
    @ParameterizedTest
    @ValueSource(strings = {
        "{ name: x, container: avi, video: { codec: libx264, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: copy, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: libx264, bitrate: '1M -f null', width: 16, height: 16 },"
            + " audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: libx264, width: 17, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: libx264, speed: 'fast -y', width: 16, height: 16 },"
            + " audio: { codec: aac } }",
        "{ name: '../x', container: mp4, video: { codec: libx264, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: m4a, video: { codec: libx264, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: hls, video: { codec: libx264 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: libx264, width: 16, height: 16 } }",
        "{ name: x, container: mp4, video: { codec: aac, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: libx264, width: 16, height: 16 }, audio: { codec: libx264 } }",
        "{ name: x, container: mp4, video: { codec: libx264, crf: 52, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: mp4, video: { codec: mpeg4, crf: 20, width: 16, height: 16 }, audio: { codec: aac } }",
        "{ name: x, container: hls, video: { codec: libx264 }, audio: { codec: aac }, renditions: [{ width: 16, height:"
            + " 16, bitrate: 100k }, { width: 18, height: 18, bitrate: 100k }, { width: 20, height: 20, bitrate:"
            + " 100k }, { width: 22, height: 22, bitrate: 100k }, { width: 24, height: 24, bitrate: 100k }, { width:"
            + " 26, height: 26, bitrate: 100k }, { width: 28, height: 28, bitrate: 100k }, { width: 30, height: 30,"
            + " bitrate: 100k }, { width: 32, height: 32, bitrate: 100k }] }"})
    void refuses_a_preset_that_would_put_anything_unchecked_on_the_command_line(String preset, @TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "presets:\n  - " + preset + "\n");
        assertThrows(IllegalArgumentException.class, () -> PresetCatalog.load(dir, ENCODERS));
    }

    /** The good preset the refusals above each break in one place: the load takes it. */
    @Test
    void takes_the_preset_the_refusals_break(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yaml"), "presets:\n  - { name: x, container: mp4, video: { codec: libx264,"
                + " width: 16, height: 16 }, audio: { codec: aac } }\n");
        assertTrue(PresetCatalog.load(dir, ENCODERS).find("x").isPresent());
    }
}
