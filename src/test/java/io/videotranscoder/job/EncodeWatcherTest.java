package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegArguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class EncodeWatcherTest {

    @TempDir
    Path root;

    private final String job = JobIds.next();

    @Test
    void ffmpeg_reports_as_often_as_the_watcher_looks_and_at_least_twice_a_second() {
        assertEquals(Duration.ofMillis(100), EncodeWatcher.reportPeriod(Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(500), EncodeWatcher.reportPeriod(Duration.ofMillis(500)));
        assertEquals(Duration.ofMillis(500), EncodeWatcher.reportPeriod(Duration.ofSeconds(1)));
    }

    /**
     * Two segments of one job in one worker: the one that stalls is stopped alone, and the other, still watched once
     * the first is over, is stopped when it stalls in turn. Each "encode" is a real child process naming its folder.
     */
    @Test
    void parts_of_one_job_are_watched_and_stopped_each_on_its_own() throws Exception {
        EncodeWatcher watcher = watcher(Duration.ofSeconds(1));
        Path a = folder(".segments", "aaaa");
        Path b = folder(".segments", "bbbb");
        String runA = EncodeWatcher.partRun(job, a);
        String runB = EncodeWatcher.partRun(job, b);
        Process encodeA = encode(a);
        Process encodeB = encode(b);
        try {
            watcher.startPart(job, "t1", a, a, null);
            watcher.startPart(job, "t1", b, b, null);
            long[] mediaTime = {0};

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                advance(b, mediaTime[0] += 40_000); // b's media time goes on; a's never starts
                watcher.watch();
                return !encodeA.isAlive();
            });
            assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), watcher.stopReason(runA));
            assertEquals(Optional.empty(), watcher.stopReason(runB));
            assertTrue(encodeB.isAlive(), "the other part of the job goes on");

            watcher.stop(runA);
            watcher.forget(runA);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                watcher.watch();
                return !encodeB.isAlive();
            });
            assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), watcher.stopReason(runB));
        } finally {
            encodeA.destroyForcibly();
            encodeB.destroyForcibly();
        }
    }

    /**
     * An attempt that lost its lease to another thread of this worker, which began the job again: the old attempt's
     * FFmpeg is stopped, the new one's goes on, watched under its own key.
     */
    @Test
    void an_attempt_that_lost_its_job_stops_only_its_own_encode() throws Exception {
        EncodeWatcher watcher = watcher(Duration.ofMinutes(1));
        Path jobDir = root.resolve(job);
        Path old = Files.createDirectories(jobDir.resolve(".work").resolve("0000000000000001"));
        Path taken = Files.createDirectories(jobDir.resolve(".work").resolve("0000000000000002"));
        Process oldEncode = encode(old);
        Process newEncode = encode(taken);
        try {
            watcher.start(job, "0000000000000001", jobDir, old, 10.0);
            watcher.start(job, "0000000000000002", jobDir, taken, 10.0);

            watcher.abandon(job, "0000000000000001");

            await().atMost(Duration.ofSeconds(30)).until(() -> !oldEncode.isAlive());
            watcher.watch();
            assertTrue(newEncode.isAlive(), "the attempt that holds the job goes on");
            assertEquals(Optional.empty(), watcher.stopReason(EncodeWatcher.jobRun(job, "0000000000000002")));
            assertEquals(Optional.of(EncodeWatcher.Stop.LOST),
                    watcher.stopReason(EncodeWatcher.jobRun(job, "0000000000000001")));
        } finally {
            oldEncode.destroyForcibly();
            newEncode.destroyForcibly();
        }
    }

    /**
     * Two joins of one job, the first taken over after a pause past its lease: both report their progress in the
     * attempt's output folder, and the lost one's stop reaches only the programs naming its own folder.
     */
    @Test
    void a_join_that_lost_its_lease_stops_only_its_own_ffmpeg() throws Exception {
        EncodeWatcher watcher = watcher(Duration.ofMinutes(1));
        Path out = folder(".work", "0000000000000001");
        Path lost = folder(".segments", "aaaa");
        Path owner = folder(".segments", "bbbb");
        Process lostJoin = encode(lost, out);
        Process ownersJoin = encode(owner, out);
        try {
            watcher.startPart(job, "0000000000000001", lost, out, null);
            watcher.startPart(job, "0000000000000001", owner, out, null);

            watcher.stopNow(EncodeWatcher.partRun(job, lost), EncodeWatcher.Stop.LOST);

            await().atMost(Duration.ofSeconds(30)).until(() -> !lostJoin.isAlive());
            assertTrue(ownersJoin.isAlive(), "the join that holds the part goes on");
        } finally {
            lostJoin.destroyForcibly();
            ownersJoin.destroyForcibly();
        }
    }

    /**
     * A part still encoding when another part of its job failed the job (on this worker or another): it is stopped,
     * for that reason, rather than left to finish work no one will join, or to fail in its turn on a failed job.
     */
    @Test
    void a_part_whose_job_ended_meanwhile_is_stopped() throws Exception {
        JobStore store = running();
        EncodeWatcher watcher = new EncodeWatcher(store, Duration.ofMillis(100), Duration.ofMinutes(1), 4,
                Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(5));
        Path part = folder(".segments", "aaaa");
        Process encode = encode(part);
        try {
            watcher.startPart(job, "0000000000000001", part, part, null);
            watcher.watch();
            assertTrue(encode.isAlive(), "the job runs");

            when(store.standing(job)).thenReturn(new JobStanding(JobStatus.FAILED, false));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                watcher.watch();
                return !encode.isAlive();
            });
            assertEquals(Optional.of(EncodeWatcher.Stop.ENDED), watcher.stopReason(EncodeWatcher.partRun(job, part)));
        } finally {
            encode.destroyForcibly();
        }
    }

    /** A new folder of the job's, such as a part's ({@code .segments/<token>}) or an attempt's ({@code .work/<token>}). */
    /** Redis away: neither the progress nor a cancel can be read or written, but an encode that stalls is stopped. */
    @Test
    void an_encode_that_stalls_while_redis_is_away_is_still_stopped() throws Exception {
        JobStore away = mock(JobStore.class);
        when(away.standing(any())).thenThrow(new JedisConnectionException("Unexpected end of stream."));
        EncodeWatcher watcher = new EncodeWatcher(away, Duration.ofMillis(100), Duration.ofSeconds(1), 4,
                Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(5));
        assertStalledEncodeStopped(watcher, folder(".work", "cccc"), false);
    }

    /**
     * The probe beside an encode asks to be watched as it begins, on another thread, after the encode's watch began
     * (or before): the encode keeps its own watch, limits and all, and a stalled encode is stopped.
     */
    @Test
    void a_probe_beside_the_encode_leaves_the_encode_its_watch() throws Exception {
        assertStalledEncodeStopped(watcher(Duration.ofSeconds(1)), folder(".work", "dddd"), true);
    }

    /**
     * An encode into {@code work} whose media time stands still is stopped as stalled.
     *
     * @param probeBeside whether a probe beside it asks to be watched once the encode's watch began
     */
    private void assertStalledEncodeStopped(EncodeWatcher watcher, Path work, boolean probeBeside) throws Exception {
        Process encode = encode(work);
        try {
            watcher.start(job, "t1", root.resolve(job), work, null);
            if (probeBeside) {
                watcher.startProbe(job, "t1", root.resolve(job), work);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                watcher.watch();
                return !encode.isAlive();
            });
            assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), watcher.stopReason(EncodeWatcher.jobRun(job, "t1")));
        } finally {
            encode.destroyForcibly();
        }
    }

    private Path folder(String kind, String name) throws Exception {
        return Files.createDirectories(root.resolve(job).resolve(kind).resolve(name));
    }

    /** A watcher that stops an encode whose media time stands still for {@code stall}, and no sooner for time. */
    private static EncodeWatcher watcher(Duration stall) {
        return new EncodeWatcher(running(), Duration.ofMillis(100), stall, 4, Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofSeconds(5));
    }

    /** A store in which every job runs, with no cancel asked. */
    private static JobStore running() {
        JobStore store = mock(JobStore.class);
        when(store.standing(any())).thenReturn(new JobStanding(JobStatus.RUNNING, false));
        return store;
    }

    /** A program that runs until stopped, with a file in each folder on its command line, as an FFmpeg has. */
    private static Process encode(Path... folders) throws Exception {
        List<String> command = new ArrayList<>(List.of("tail", "-f"));
        for (Path folder : folders) {
            command.add(Files.writeString(folder.resolve(command.size() + ".log"), "").toString());
        }
        return new ProcessBuilder(command).start();
    }

    private static void advance(Path folder, long outTimeMicros) throws Exception {
        Files.writeString(folder.resolve(FfmpegArguments.PROGRESS_FILE),
                "out_time_us=" + outTimeMicros + "\nprogress=continue\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
