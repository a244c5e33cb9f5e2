package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import io.videotranscoder.ffmpeg.FfmpegProgress;
import org.junit.jupiter.api.Test;

/** The progress a running job shows, from FFmpeg's reports and the input's duration. */
class WatchedEncodeTest {

    private static WatchedEncode encode(Double durationSeconds) {
        return new WatchedEncode("j1", "a1", Path.of("/videos/j1"), Path.of("/videos/j1/.work/a1"),
                durationSeconds, 0);
    }

    @Test
    void percent_and_eta_follow_the_media_time() {
        Job.Progress progress = encode(100.0).report(new FfmpegProgress.Report(25, 2.0, 50.0), 1000);
        assertEquals(new Job.Progress(25, 2.0, 50.0, 38L), progress);
    }

    @Test
    void a_finished_media_time_shows_99_until_the_outcome_is_stored() {
        assertEquals(99, encode(10.0).report(new FfmpegProgress.Report(12, 1.0, 25.0), 1000).percent());
    }

    @Test
    void without_a_known_duration_only_speed_and_fps_show() {
        assertEquals(new Job.Progress(0, 1.5, 30.0, null),
                encode(null).report(new FfmpegProgress.Report(40, 1.5, 30.0), 1000));
    }

    @Test
    void the_duration_a_probe_finds_later_counts_from_then_on() {
        WatchedEncode encode = encode(null);
        encode.durationSeconds(80.0);
        assertEquals(50, encode.report(new FfmpegProgress.Report(40, null, null), 1000).percent());
    }

    @Test
    void only_an_advancing_media_time_counts_as_progress() {
        WatchedEncode encode = encode(100.0);
        encode.report(new FfmpegProgress.Report(10, 1.0, 25.0), 1000);
        encode.report(new FfmpegProgress.Report(10, 1.0, 25.0), 5000);
        assertEquals(1000, encode.advancedAt());
        encode.report(new FfmpegProgress.Report(11, 1.0, 25.0), 6000);
        assertEquals(6000, encode.advancedAt());
    }
}
