package io.videotranscoder.job;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegProgress;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An encode is stopped when it stalls, runs past the timeout, or runs far longer than its input lasts. */
class EncodeLimitsTest {

    private static final long START = 1_000_000;
    private final EncodeLimits limits = new EncodeLimits(Duration.ofMinutes(2), 10, Duration.ofMinutes(5),
            Duration.ofHours(6));

    private static WatchedEncode encode(Double durationSeconds) {
        return new WatchedEncode("j1", "a1", Path.of("/videos/j1"), Path.of("/videos/j1/.work/a1"),
                durationSeconds, START);
    }

    private static long minutes(long minutes) {
        return START + Duration.ofMinutes(minutes).toMillis();
    }

    /**
     * After its last frame FFmpeg moves an MP4's index to the front, rewriting the output: minutes for a long film on
     * a slow disk, its media time standing still. Writing its outputs, it is not stalled, however far the file
     * server's clock is from this host's (here: 2020); writing only its progress (as it does when stuck), it is.
     */
    @Test
    void an_encode_writing_its_outputs_is_not_stalled_whatever_the_file_times_and_its_progress_does_not_count(
            @TempDir Path work) throws Exception {
        long serverTime = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
        Path output = Files.writeString(work.resolve("output.mp4"), "moov");
        Path progress = Files.writeString(work.resolve(FfmpegArguments.PROGRESS_FILE), "progress=continue");
        Files.setLastModifiedTime(output, FileTime.fromMillis(serverTime));
        WatchedEncode stuck = new WatchedEncode("j1", "a1", work.getParent(), work, 7200.0, START);
        WatchedEncode finishing = new WatchedEncode("j1", "a1", work.getParent(), work, 7200.0, START);
        assertEquals(Optional.empty(), limits.overdue(stuck, minutes(1) + 1), "half the stall timeout: files noted");
        assertEquals(Optional.empty(), limits.overdue(finishing, minutes(1) + 1));

        Files.writeString(progress, "progress=continue\nprogress=continue");
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), limits.overdue(stuck, minutes(3)),
                "only the progress file was written");

        Files.writeString(output, "moov and the frames after it");
        Files.setLastModifiedTime(output, FileTime.fromMillis(serverTime + 1000));
        assertEquals(Optional.empty(), limits.overdue(finishing, minutes(3)), "the output was written meanwhile");
        assertEquals(Optional.empty(), limits.overdue(finishing, minutes(4) + 1));
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), limits.overdue(finishing, minutes(6) + 1),
                "and then nothing for 3 min");
    }

    /**
     * FFmpeg decoding a long way before its first frame (from a key frame far before a segment's start) reports no
     * media time and writes nothing, but works: not stalled while it uses the CPU, stalled once frozen.
     */
    @Test
    void an_encode_using_the_cpu_is_not_stalled_until_it_is_frozen(@TempDir Path work) throws Exception {
        EncodeLimits quick = new EncodeLimits(Duration.ofSeconds(2), 10, Duration.ofMinutes(5), Duration.ofHours(6));
        Process decoding = decoding(work);
        try {
            WatchedEncode encode = new WatchedEncode("j1", "a1", work, work, 7200.0, System.currentTimeMillis());

            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> quick.overdue(encode, System.currentTimeMillis()), Optional::isEmpty);
            Frozen.signal("STOP", List.of(decoding.toHandle()));
            // Within three stall timeouts of the freeze, at worst (a reading taken just before it still shows work):
            // before the CPU's evidence would run out on its own, 10 s after the start.
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200)).until(
                    () -> quick.overdue(encode, System.currentTimeMillis()),
                    Optional.of(EncodeWatcher.Stop.STALLED)::equals);
        } finally {
            decoding.destroyForcibly().waitFor();
        }
    }

    /**
     * FFmpeg spinning on a crafted file uses the CPU as a long decode does: the CPU keeps an encode whose media time
     * stands still going for five stall timeouts, not until the encode's timeout hours later.
     */
    @Test
    void the_cpu_alone_keeps_an_encode_going_for_five_stall_timeouts(@TempDir Path work) throws Exception {
        EncodeLimits quick = new EncodeLimits(Duration.ofSeconds(1), 10, Duration.ofMinutes(5), Duration.ofHours(6));
        Process spinning = decoding(work);
        try {
            long started = System.currentTimeMillis();
            WatchedEncode encode = new WatchedEncode("j1", "a1", work, work, 7200.0, started);

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(
                    () -> quick.overdue(encode, System.currentTimeMillis()),
                    Optional.of(EncodeWatcher.Stop.STALLED)::equals);
            long stoppedAfter = System.currentTimeMillis() - started;
            assertTrue(stoppedAfter > EncodeLimits.CPU_ONLY_STALLS * 1000, "kept going by the CPU until then: "
                    + stoppedAfter + " ms");
        } finally {
            spinning.destroyForcibly().waitFor();
        }
    }

    /**
     * A real FFmpeg making pictures, naming {@code work}, reporting no media time: paced at 200 frames a second (about
     * a third of a core here, where the watcher asks for a twentieth), not as fast as it can, beside other tests.
     */
    private static Process decoding(Path work) throws Exception {
        return new ProcessBuilder(Media.tools().ffmpeg().toString(), "-nostdin", "-v", "error", "-re", "-f", "lavfi",
                "-i", "testsrc2=size=1280x720:rate=200", "-f", "null", work.resolve("decoding").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A part of a split job had no duration, so no limit of its own: a crawling segment ran to the encode timeout. */
    @Test
    void a_part_is_too_slow_past_the_multiple_of_what_it_covers() {
        WatchedEncode segment = WatchedEncode.part("j1", "a1", Path.of("/videos/j1/.segments/segment-00003"),
                Path.of("/videos/j1/.segments/segment-00003"), 60.0, START);
        segment.report(new FfmpegProgress.Report(10.0, null, null), minutes(10));
        assertEquals(Optional.empty(), limits.overdue(segment, minutes(10)));
        segment.report(new FfmpegProgress.Report(11.0, null, null), minutes(11));
        assertEquals(Optional.of(EncodeWatcher.Stop.TOO_SLOW), limits.overdue(segment, minutes(11)));
    }

    @Test
    void the_limit_is_a_multiple_of_the_input_duration_but_never_below_the_minimum() {
        assertEquals(Duration.ofMinutes(10), limits.limit(60.0));
        assertEquals(Duration.ofMinutes(5), limits.limit(6.0));
    }

    @Test
    void an_input_of_unknown_length_has_no_limit_of_its_own() {
        assertEquals(Duration.ofDays(365), limits.limit(null));
    }

    @Test
    void an_encode_whose_media_time_stands_still_is_stalled() {
        WatchedEncode encode = encode(null);
        assertEquals(Optional.empty(), limits.overdue(encode, minutes(2)));
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), limits.overdue(encode, minutes(3)));
    }

    /**
     * A first look past the stall timeout (the watch was held up: Redis away) has nothing to compare the files with:
     * the next look, half a timeout on, judges.
     */
    @Test
    void a_first_look_past_the_stall_timeout_defers_its_verdict_to_the_next() {
        WatchedEncode encode = encode(null);
        assertEquals(Optional.empty(), limits.overdue(encode, minutes(3)));
        assertEquals(Optional.empty(), limits.overdue(encode, minutes(3) + 59_000));
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), limits.overdue(encode, minutes(4)));
    }

    @Test
    void an_encode_that_advances_is_not_stalled_but_too_slow_past_its_limit() {
        WatchedEncode encode = encode(60.0);
        for (int minute = 1; minute <= 11; minute++) {
            encode.report(new FfmpegProgress.Report(minute, 0.1, 2.0), minutes(minute));
        }
        assertEquals(Optional.empty(), limits.overdue(encode, minutes(10)));
        assertEquals(Optional.of(EncodeWatcher.Stop.TOO_SLOW), limits.overdue(encode, minutes(11)));
    }

    @Test
    void the_encode_timeout_applies_to_any_encode() {
        EncodeLimits tight = new EncodeLimits(Duration.ofHours(1), 10, Duration.ofMinutes(5), Duration.ofMinutes(3));
        assertEquals(Optional.of(EncodeWatcher.Stop.TIMEOUT), tight.overdue(encode(3600.0), minutes(4)));
    }
}
