package io.videotranscoder.job;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.videotranscoder.ffmpeg.MediaInfo;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitPlanTest {

    private static final SplitPlan PLAN = new SplitPlan(10, 4);
    private static final Job JOB = Job.queued(JobIds.next(), "api", "default", "clip.mp4",
            TranscodeOptions.DEFAULT.toPreset(), "input.mp4", 1, Instant.now());

    private static Job job(Preset preset) {
        return Job.queued(JOB.id(), "api", "default", "clip.mp4", preset, "input.mp4", 1, Instant.now());
    }

    private static Preset preset(String name) throws Exception {
        return PresetCatalog.load(null, Set.of()).find(name).orElseThrow();
    }

    private static final String MP4 = "mov,mp4,m4a,3gp,3g2,mj2";

    private static MediaInfo input(double seconds, double rate, boolean audio) {
        return new MediaInfo(MP4, seconds, "h264", 320, 240, rate, audio ? "aac" : null, audio ? 1 : null);
    }

    @Test
    void segments_are_whole_frames_with_bounds_half_a_frame_before_their_first_frame() {
        List<Part> parts = PLAN.parts(JOB, true, input(12, 25, true));

        assertEquals(4, parts.size(), "three segments of 100 frames, then the audio");
        assertEquals(0, parts.get(0).from());
        assertEquals(99.5 / 25, parts.get(0).to());
        assertEquals(99.5 / 25, parts.get(1).from());
        assertEquals(199.5 / 25, parts.get(1).to());
        assertNull(parts.get(2).to(), "the last one runs to the end");
        assertEquals(Part.Kind.AUDIO, parts.get(3).kind());
        assertEquals(12.0, parts.stream().mapToDouble(Part::seconds).sum(), 1e-9);
    }

    @Test
    void an_ntsc_rate_keeps_every_segment_a_whole_number_of_frames() {
        List<Part> parts = PLAN.parts(JOB, true, input(20, 29.97, false));

        assertEquals(5, parts.size(), "120 frames a segment, no audio part");
        assertEquals((120 - 0.5) * 1001 / 30000, parts.get(0).to(), 1e-9, "29.97 is 30000/1001");
    }

    /** What the join places the segments by, from the stored length: the planned lengths, but the last. */
    @Test
    void the_planned_lengths_are_the_parts_own() {
        MediaInfo ntsc = new MediaInfo(MP4, 22.0, "h264", 320, 240, 29.97, "aac", 1, 0.5, 0.0);
        List<Part> segments = PLAN.parts(JOB, true, ntsc).stream().filter(p -> p.kind() == Part.Kind.SEGMENT)
                .toList();

        List<Double> planned = SplitPlan.plannedSeconds(ntsc, segments.get(1).at(), segments.size());

        assertEquals(segments.subList(0, segments.size() - 1).stream().map(Part::seconds).toList(), planned);
        assertEquals(4, planned.size(), "five segments of 4 s, 22 s in all");
        assertEquals(120 * 1001 / 30000.0, planned.get(2), 1e-9, "120 whole frames at 30000/1001");
    }

    @Test
    void short_inputs_turned_off_jobs_and_other_presets_run_as_one() {
        assertTrue(PLAN.parts(JOB, true, input(9.9, 25, true)).isEmpty(), "shorter than the setting");
        assertTrue(PLAN.parts(JOB, false, input(60, 25, true)).isEmpty(), "the job turned splitting off");
        assertTrue(new SplitPlan(0, 4).parts(JOB, true, input(60, 25, true)).isEmpty(), "0 turns it off");
        assertTrue(PLAN.parts(JOB, true, new MediaInfo(MP4, 60.0, "h264", 320, 240, null, null, null)).isEmpty(),
                "an unknown frame rate");
        assertTrue(PLAN.parts(JOB, true, input(60, 9.9, true)).isEmpty(), "a slideshow, a still screen's recording");
        assertEquals(3, PLAN.parts(JOB, true, input(12, 10, false)).size(), "ten frames a second are split");
        MediaInfo song = new MediaInfo(MP4, 660.0, "h264", 320, 240, 25.0, "aac", 1, 0.0, 0.0, 0.04);
        assertTrue(PLAN.parts(JOB, true, song).isEmpty(), "a still picture with a song: one frame in 660 s");
        MediaInfo shortPicture = new MediaInfo(MP4, 60.0, "h264", 320, 240, 25.0, "aac", 1, 0.0, 0.0, 58.0);
        assertEquals(16, PLAN.parts(JOB, true, shortPicture).size(), "a picture 2 s shorter than its sound: 15 + 1");
        Preset audioOnly = new Preset("audio", "", "mp4", null, new Preset.Audio("aac", "128k"), null, null, null,
                false);
        assertTrue(PLAN.parts(Job.queued(JOB.id(), "api", "default", "a.mp4", audioOnly, "input.mp4", 1,
                Instant.now()), true, input(60, 25, true)).isEmpty(), "an audio-only preset");
    }

    /** FFmpeg's seek into them lands on a keyframe after the point asked for: a segment would lose frames. */
    @Test
    void inputs_without_an_index_of_keyframes_run_as_one() {
        for (String format : List.of("mpegts", "mpeg", "h264", "flv", "avi")) {
            assertTrue(PLAN.parts(JOB, true, new MediaInfo(format, 60.0, "h264", 320, 240, 25.0, "aac", 2))
                    .isEmpty(), format);
        }
    }

    @Test
    void segments_are_counted_from_the_first_frame_of_a_video_that_begins_late() {
        MediaInfo late = new MediaInfo("matroska,webm", 12.0, "h264", 320, 240, 25.0, "aac", 2, 1.4);

        List<Part> parts = PLAN.parts(JOB, true, late);

        assertEquals(1.4 + 99.5 / 25, parts.get(0).to(), 1e-9, "100 frames after the first, at 1.4 s");
        assertEquals(List.of(0.0, 4.0, 8.0), parts.stream().filter(p -> p.kind() == Part.Kind.SEGMENT)
                .map(Part::at).toList(), "where each begins on the output's timeline");
    }

    /**
     * Its single pass holds the picture until the sound ends; its segments would end the playlists with the picture,
     * and a player the sound's tail with them (the verification's tolerance, a twentieth of a long input, would not
     * tell). Sound that ends within half a second of the picture (an encoder's padding) is split.
     */
    @Test
    void a_ladder_whose_sound_outlasts_its_picture_runs_as_one() throws Exception {
        Job ladder = job(preset("hls-ladder"));
        MediaInfo shortPicture = new MediaInfo(MP4, 60.0, "h264", 320, 240, 25.0, "aac", 1, 0.0, 0.0, 58.0);
        MediaInfo together = new MediaInfo(MP4, 60.0, "h264", 320, 240, 25.0, "aac", 1, 0.0, 0.0, 59.6);

        assertTrue(PLAN.parts(ladder, true, shortPicture).isEmpty(), "2 s of sound after the picture: one pass");
        assertFalse(PLAN.parts(ladder, true, together).isEmpty(), "0.4 s, the encoder's padding: split");
    }

    @Test
    void a_ladder_is_split_in_whole_multiples_of_its_hls_segments() throws Exception {
        Job ladder = job(preset("hls-ladder")); // 6 s HLS segments

        assertEquals(6, PLAN.length(ladder.preset()), "4 s is nearest one HLS segment");
        assertEquals(30, new SplitPlan(10, 30).length(ladder.preset()));
        assertEquals(18, new SplitPlan(10, 16).length(ladder.preset()), "16 s is nearest three");
        List<Part> parts = PLAN.parts(ladder, true, input(20, 29.97, true));
        assertEquals(List.of(0.0, 6.0, 12.0), parts.stream().filter(p -> p.kind() == Part.Kind.SEGMENT)
                .map(Part::at).toList(), "the tail of 2 s joins the segment before");
        assertNull(parts.get(2).to());
        assertEquals((599 - 360) * 1001 / 30000.0, parts.get(2).seconds(), 1e-9, "12 s (frame 360) to the end");
        // 6 s at 29.97 fps is 179.82 frames: the second segment begins at frame 180, where a single pass forces one.
        assertEquals((180 - 0.5) * 1001 / 30000, parts.get(1).from(), 1e-9);
        assertEquals(180 * 1001 / 30000.0, parts.get(0).seconds(), 1e-9);
    }

    @Test
    void webm_with_vp9_is_split_and_vp8_the_sound_alone_and_a_poster_are_not() throws Exception {
        assertTrue(PLAN.mayApply(job(preset("vp9-720p")), true));
        Preset vp8 = TranscodeOptions.parse("libvpx", "1M", "640x360", Set.of("libvpx")).toPreset();
        assertFalse(PLAN.mayApply(job(vp8), true), "VP8 in WebM: an MP4 segment cannot carry it");
        assertTrue(PLAN.mayApply(job(preset("hevc-1080p")), true));
        assertFalse(PLAN.mayApply(job(preset("audio-aac")), true), "audio is one pass anyway");
        assertFalse(PLAN.mayApply(job(preset("thumbnail")), true));
        Preset h264 = preset("h264-720p");
        Preset keeping = new Preset(h264.name(), h264.description(), h264.container(), h264.video(), h264.audio(),
                h264.renditions(), h264.segmentSeconds(), h264.at(), true);
        assertFalse(PLAN.mayApply(job(keeping), true), "a preset keeping the metadata: the parts have none");
    }
}
