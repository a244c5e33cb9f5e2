package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.HlsChecks;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.MediaChecks;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A long input split into segments, encoded as separate queue entries, joined once: as good as a single pass, with
 * real Redis and FFmpeg, on 12 s clips split every 3 s, by one app for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitIT {

    static final Map<String, String> SPLIT = Map.of("transcoder.split-min-seconds", "5",
            "transcoder.segment-seconds", "3");
    /** The H.264 preset of split-presets: h264-720p in a 320x240 box at x264's veryfast. */
    static final Map<String, String> SMALL = Map.of("preset", "h264-small");

    @TempDir
    static Path shared;
    static TestApp app;
    static Http http;

    @TempDir
    Path root;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(SPLIT);
        settings.put("transcoder.retry-backoff", "100ms");
        settings.put("transcoder.presets-dir", Path.of(SplitIT.class.getResource("/split-presets").toURI()).toString());
        app = TestApp.start(shared.resolve("data"), settings);
        http = app.http();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /** First, so that the segment counters are this test's alone. WebM (VP9 and Opus) is split by the same code. */
    @Test
    @Order(1)
    void a_long_input_is_split_joined_once_and_as_good_as_one_pass() throws Exception {
        Path clips = Files.createDirectories(root.resolve("clips"));
        Path clip = Media.clip(clips, "long.mp4", 12, "320x240");
        Path shorter = Media.clip(clips, "shorter.mp4", 6, "320x240");
        String id = http.upload("/jobs", clip, "long.mp4", SMALL).json().path("id").asText();
        String webm = http.upload("/jobs", shorter, "shorter.mp4", Map.of("preset", "vp9-720p")).json()
                .path("id").asText();

        JsonNode job = awaitEnd(http, id);
        JsonNode vp9 = awaitEnd(http, webm);

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(4, job.path("segments").path("total").asInt(), job.toString());
        assertEquals(4, job.path("segments").path("done").asInt());
        assertEquals(100, job.path("progress").asInt());
        Path output = app.dataDir().resolve(id).resolve("output.mp4");
        MediaChecks.assertEquivalent(clip, output, List.of(0.0, 3.0, 6.0, 9.0));
        assertFalse(Files.exists(app.dataDir().resolve(id).resolve("parts")), "the parts are removed");
        assertFalse(Files.exists(app.dataDir().resolve(id).resolve(".segments")));
        assertEquals("succeeded", vp9.path("status").asText(), vp9.toString());
        assertEquals(2, vp9.path("segments").path("total").asInt(), vp9.toString());
        assertEquals(List.of("output.webm"), names(vp9));
        MediaChecks.assertWebmEquivalent(shorter, app.dataDir().resolve(webm).resolve("output.webm"),
                List.of(0.0, 3.0));
        String metrics = app.management().get("/observe/metrics").body();
        String parts = "transcoder_segments_total{camelContext=\"video-transcoder\",kind=";
        assertTrue(metrics.contains(parts + "\"segment\"} 6.0"), metrics);
        assertTrue(metrics.contains(parts + "\"audio\"} 2.0"));
        assertTrue(metrics.contains(parts + "\"join\"} 2.0"));
    }

    /** Flashes and beeps at every boundary, the hardest place: each beep begins within a frame of its flash. */
    @Test
    void sound_and_picture_stay_in_sync_across_the_joins() throws Exception {
        Path clip = MediaChecks.flashAndBeep(Files.createDirectories(root.resolve("clips")), 12);
        String id = http.upload("/jobs", clip, "sync.mp4", SMALL).json().path("id").asText();

        JsonNode job = awaitEnd(http, id);

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(4, job.path("segments").path("total").asInt());
        Path output = app.dataDir().resolve(id).resolve("output.mp4");
        List<Double> flashes = MediaChecks.flashes(output);
        List<Double> beeps = MediaChecks.beeps(output);
        assertEquals(List.of(0.0, 3.0, 6.0, 9.0), flashes, "a flash at each boundary, where the source has it");
        for (double flash : flashes.subList(1, flashes.size())) {
            assertTrue(beeps.stream().anyMatch(beep -> Math.abs(beep - flash) < 0.04),
                    "a beep within one frame of the flash at " + flash + " s: " + beeps);
        }
    }

    /**
     * Matroska, whose index names the keyframes as MP4's does: split, and no frame is lost or doubled. Its timestamps
     * begin at 10 s (a cut of a recording), which Matroska's stated length counts: 22 s, of 12 s of video. Its sound's
     * first packet (AAC's priming) is 23 ms before its first frame, and the output keeps that delay of its video.
     */
    @Test
    void a_matroska_input_is_split_and_keeps_every_frame() throws Exception {
        JsonNode job = transcodedWhole(clip("clip.mkv", "matroska", "-output_ts_offset", "10"),
                List.of(0.0, 3.0, 6.0, 9.0));

        assertEquals(4, job.path("segments").path("total").asInt(), job.toString());
        assertEquals(0.023, MediaChecks.startTime(app.dataDir().resolve(job.path("id").asText())
                .resolve("output.mp4"), "v:0"), 0.002, "its video's delay, kept");
    }

    /**
     * FFmpeg's seek into an MPEG transport stream (whose timestamps start at 1.4 s) lands on a keyframe after the point
     * asked for, not before: a split lost up to a GOP of frames at each segment, and passed the check. It runs as one
     * encode.
     */
    @Test
    void an_mpeg_transport_stream_runs_as_one_encode_and_keeps_every_frame() throws Exception {
        JsonNode job = transcodedWhole(clip("late.ts", "mpegts"), List.of());

        assertFalse(job.has("segments"), job.toString());
    }

    /**
     * A recording whose picture begins a second after its sound, and a Matroska one whose picture stops for longer
     * than a segment at a boundary (4 s from 6 s): each keeps its timing across the joins, as a single pass keeps it.
     * The join had the first picture begin with the sound, and closed the gap, its picture a second early from there
     * on; the verification of both the split job and the single pass read only the first two packets, sound, and
     * failed them; and the segment in the gap, without a frame, ended the join there (a third of the picture, and
     * "succeeded").
     */
    @Test
    void a_late_picture_and_a_gap_longer_than_a_segment_keep_their_time() throws Exception {
        Path late = timedClip("late.mp4", "testsrc=duration=12:size=320x240:rate=25", "-itsoffset", "1");
        Path gap = timedClip("gap.mkv", "testsrc=duration=12:size=320x240:rate=25,"
                + "setpts='if(gte(T\\,6)\\,PTS+4/TB\\,PTS)'");
        String lateId = http.upload("/jobs", late, "late.mp4", SMALL).json().path("id").asText();
        String gapId = http.upload("/jobs", gap, "gap.mkv", SMALL).json().path("id").asText();
        String wholeId = http.upload("/jobs", late, "late.mp4", Map.of("preset", "h264-small", "split", "false"))
                .json().path("id").asText();

        JsonNode lateJob = awaitEnd(http, lateId);
        JsonNode gapJob = awaitEnd(http, gapId);
        JsonNode whole = awaitEnd(http, wholeId);

        assertEquals("succeeded", lateJob.path("status").asText(), lateJob.toString());
        assertEquals("succeeded", gapJob.path("status").asText(), gapJob.toString());
        assertEquals(4, lateJob.path("segments").path("total").asInt(), lateJob.toString());
        assertEquals(5, gapJob.path("segments").path("total").asInt(), gapJob.toString());
        Path lateOutput = app.dataDir().resolve(lateId).resolve("output.mp4");
        assertEquals(1.0, MediaChecks.startTime(lateOutput, "v:0"), 0.001, "the picture begins a second late");
        assertEquals(0.0, MediaChecks.startTime(lateOutput, "a:0"), 0.001);
        assertEquals("succeeded", whole.path("status").asText(), whole.toString());
        assertEquals(1.0, MediaChecks.startTime(app.dataDir().resolve(wholeId).resolve("output.mp4"), "v:0"), 0.001,
                "as the single pass");
        Path gapOutput = app.dataDir().resolve(gapId).resolve("output.mp4");
        // Longer than a segment: the third segment has no frame, and the second's last is shown through it.
        assertEquals(16.0, MediaChecks.duration(gapOutput, "v:0"), 0.001, "12 s of picture and its 4 s gap");
        assertEquals(300, MediaChecks.frames(gapOutput));
    }

    /** 13 s of sound and the picture of {@code video}, after FFmpeg's input {@code options}, its frames' times kept. */
    private Path timedClip(String name, String video, String... options) throws Exception {
        Path clip = Files.createDirectories(root.resolve("clips")).resolve(name);
        List<String> command = new ArrayList<>(List.of(Media.tools().ffmpeg().toString(), "-v", "error", "-y"));
        command.addAll(List.of(options));
        command.addAll(List.of("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", "sine=duration=13", "-c:v", "libx264",
                "-preset", "ultrafast", "-g", "10", "-fps_mode", "passthrough", "-c:a", "aac", clip.toString()));
        Media.run(command.toArray(String[]::new));
        return clip;
    }

    /** The job of {@code clip}, which succeeded with every frame of it, keyframes at {@code boundaries}. */
    private JsonNode transcodedWhole(Path clip, List<Double> boundaries) throws Exception {
        String id = http.upload("/jobs", clip, clip.getFileName().toString(), SMALL).json().path("id").asText();
        JsonNode job = awaitEnd(http, id);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        MediaChecks.assertEquivalent(clip, app.dataDir().resolve(id).resolve("output.mp4"), boundaries);
        return job;
    }

    /** 12 s of test picture and sound, a keyframe every ten frames, in {@code format}, with FFmpeg's options. */
    private Path clip(String name, String format, String... options) throws Exception {
        Path clip = Files.createDirectories(root.resolve("clips")).resolve(name);
        List<String> command = new ArrayList<>(List.of(Media.tools().ffmpeg().toString(), "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc=duration=12:size=320x240:rate=25", "-f", "lavfi", "-i",
                "sine=duration=12", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "aac", "-shortest"));
        command.addAll(List.of(options));
        command.addAll(List.of("-f", format, clip.toString()));
        Media.run(command.toArray(String[]::new));
        return clip;
    }

    /**
     * A ladder of two renditions in 2 s HLS segments, split every 4 s (3 s rounded to whole HLS segments), against
     * the same job run as one (the job field turns splitting off): the same outputs, playlists and master playlist.
     * At 29.97 fps (30000/1001) the boundaries fall between frames: each is the first frame after it, in both.
     */
    @Test
    void a_ladder_is_split_into_every_rendition_and_packaged_as_its_single_pass() throws Exception {
        Path clip = Files.createDirectories(root.resolve("clips")).resolve("long.mp4");
        Media.run(Media.tools().ffmpeg().toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=12:size=320x240:rate=30000/1001", "-f", "lavfi", "-i", "sine=duration=12",
                "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip.toString());
        String split = http.upload("/jobs", clip, "long.mp4", Map.of("preset", "ladder-2s")).json()
                .path("id").asText();
        String whole = http.upload("/jobs", clip, "long.mp4", Map.of("preset", "ladder-2s", "split", "false"))
                .json().path("id").asText();

        JsonNode job = awaitEnd(http, split);
        JsonNode single = awaitEnd(http, whole);

        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals("succeeded", single.path("status").asText(), single.toString());
        assertEquals(3, job.path("segments").path("total").asInt(), job.toString());
        assertFalse(single.has("segments"), "run as one: " + single);
        HlsChecks.assertRenditionsEquivalent(clip, app.dataDir().resolve(split).resolve("master.m3u8"), 2, 2);
        assertEquals(names(single), names(job), "the outputs of a single pass, by name");
        for (String file : List.of("master.m3u8", "stream_0.m3u8", "stream_1.m3u8")) {
            assertEquals(Files.readString(app.dataDir().resolve(whole).resolve(file)),
                    Files.readString(app.dataDir().resolve(split).resolve(file)), file + " as a single pass has it");
        }
        assertEquals("outputs/master.m3u8", http.get("/jobs/" + split + "/output").header("Location"),
                "the master playlist is its output");
        assertFalse(Files.exists(app.dataDir().resolve(split).resolve("parts")), "the parts are removed");
    }

    /**
     * While a segment runs its worker shows a part running; the cancel stops it, and the gauge falls back. The
     * segment's FFmpeg is frozen from before the cancel until the cancel's SIGTERM waits for it, so that the cancel
     * comes while it encodes.
     */
    @Test
    void a_cancel_stops_every_segment_and_leaves_no_segment_files() throws Exception {
        String id = longJob();
        List<ProcessHandle> frozen = frozenSegment(id);
        // What the workers scale on: the parts' queue, whose frozen segment is delivered and not finished (the gauges
        // show Redis's counts as read every transcoder.metrics-refresh, so a scrape may come before the next read).
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics().lines()
                .anyMatch(l -> l.matches("transcoder_parts_queue_pending [1-9].*")));

        Http.Answer cancelled = http.delete("/jobs/" + id);

        assertEquals(202, cancelled.status(), cancelled.body());
        Frozen.resumeOnceTermed(frozen);
        JsonNode job = awaitEnd(http, id);
        assertEquals("cancelled", job.path("status").asText(), job.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> !ffmpegRunsFor(id));
        assertFalse(Files.exists(app.dataDir().resolve(id)), "no segment, no input, no work is left");
        assertTrue(job.path("segments").path("done").asInt() < 4, job.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> metrics().contains("\ntranscoder_parts_running 0.0"));
    }

    /**
     * A segment's FFmpeg killed from outside this service, as the kernel's out-of-memory killer would: that segment
     * alone runs again after the backoff while the job runs on, saying why, and the job succeeds with every frame.
     */
    @Test
    void a_segment_killed_from_outside_runs_again_and_the_job_succeeds() throws Exception {
        String id = longJob("320x240", SMALL);
        List<ProcessHandle> segment = frozenSegment(id);
        assertTrue(segment.stream().allMatch(p -> p.info().commandLine().orElse("").contains(" -threads 1 -i ")),
                "transcoder.ffmpeg-threads bounds a segment's decoders (and encoders)");

        Frozen.signal("KILL", segment);

        JsonNode retrying = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> http.get("/jobs/" + id).json(), j -> !j.path("error").asText().isEmpty()
                        || !j.path("status").asText().equals("running"));
        assertEquals("running", retrying.path("status").asText(), retrying.toString());
        assertTrue(retrying.path("error").asText().matches("Segment \\d, attempt 1: FFmpeg was ended by signal 9,"
                + " which this service did not send .*; retrying in 0 s\\."), retrying.toString());
        JsonNode job = awaitEnd(http, id);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(4, job.path("segments").path("done").asInt(), job.toString());
        assertEquals(300, MediaChecks.frames(app.dataDir().resolve(id).resolve("output.mp4")), "12 s at 25 fps");
    }

    /**
     * The same segment's FFmpeg killed at each of its attempts: the job fails, saying which part and why. The first
     * segment, which runs as soon as the job is split, on the default preset: each attempt encodes at 1280x720 long
     * enough to be caught running (the small preset's lasted about 0.1 s, and a look at /proc under load missed one).
     */
    @Test
    void a_segment_killed_at_every_attempt_fails_the_job_with_its_last_reason() throws Exception {
        String id = longJob("320x240", Map.of());
        for (int attempt = 1; attempt <= 3; attempt++) {
            Frozen.signal("KILL", await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Frozen.encodes(ProcessHandle.current(), id, "segment-00000."), l -> !l.isEmpty()));
        }

        JsonNode job = awaitEnd(http, id);

        assertEquals("failed", job.path("status").asText(), job.toString());
        assertTrue(job.path("error").asText().matches("Gave up on segment 1 after 3 attempts: the last one: Segment 1,"
                + " attempt 3: FFmpeg was ended by signal 9, .*memory\\)\\."), job.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> !ffmpegRunsFor(id));
        assertFalse(Files.exists(app.dataDir().resolve(id).resolve("parts")), "the parts are removed");
    }

    /**
     * Redis restored to before a split job's end (its success and the acknowledgement of its join's entry lost, its
     * parts removed already): the join, delivered again, finds its parts gone, and the job runs again from its input,
     * split anew, to the same output.
     */
    /**
     * A split job whose picture stops decoding in its last segment (its packets damaged past 10.5 s of 12: half of
     * that segment's, and FFmpeg exits 0): the join's picture lasted 10.5 s under the whole sound. The join's
     * verification knows the input's streams as the single pass's does: the job fails with the reason, and publishes
     * nothing.
     */
    @Test
    void a_split_job_whose_picture_stops_decoding_halfway_fails() throws Exception {
        Path damaged = Media.damagedPicture(Files.createDirectories(root.resolve("clips")), "damaged.mp4", 12, 10.5);
        String id = http.upload("/jobs", damaged, "damaged.mp4", SMALL).json().path("id").asText();

        JsonNode job = awaitEnd(http, id);
        assertEquals("failed", job.path("status").asText(), job.toString());
        assertTrue(job.path("error").asText().startsWith("Verification failed: its picture lasts 10."), job.toString());
        assertTrue(job.has("segments"), "it was split: " + job);
        assertFalse(Files.exists(app.dataDir().resolve(id).resolve("output.mp4")));
    }

    @Test
    void a_join_that_finds_its_parts_gone_runs_the_job_again_from_its_input() throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "six.mp4", 6, "320x240");
        String id = http.upload("/jobs", clip, "six.mp4", SMALL).json().path("id").asText();
        assertEquals("succeeded", awaitEnd(http, id).path("status").asText());
        JobStore store = app.context().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        UnifiedJedis redis = store.redis();
        String key = store.keys().job(id);
        String run = redis.hget(key, "splitRun");

        redis.hset(key, Map.of("status", "running", "finishedAt", ""));
        redis.zadd(store.keys().indexes() + "running", redis.zscore(store.keys().indexes() + "all", id), id);
        redis.zrem(store.keys().indexes() + "succeeded", id);
        redis.xadd(store.keys().parts(), StreamEntryID.NEW_ENTRY, Map.of("split", run, "job", id, "part", "join",
                "index", "0", "from", "0", "to", "", "seconds", "0"));

        JsonNode job = awaitEnd(http, id);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals("", job.path("error").asText(""), job.toString());
        assertFalse(redis.hget(key, JobTransitions.RERUN_AT).isEmpty(), "it ran again");
        assertTrue(!run.equals(redis.hget(key, "splitRun")), "split anew");
        assertEquals(150, MediaChecks.frames(app.dataDir().resolve(id).resolve("output.mp4")), "6 s at 25 fps");
        assertFalse(Files.exists(app.dataDir().resolve(id).resolve("parts")), "the parts are removed");
    }

    /** A 12 s 640x360 clip on the default preset, submitted: four segments, each long enough to be caught running. */
    private String longJob() throws Exception {
        return longJob("640x360", Map.of());
    }

    /** A 12 s clip of {@code size} on {@code preset}, submitted: four segments. */
    private String longJob(String size, Map<String, String> preset) throws Exception {
        Path clip = Media.clip(Files.createDirectories(root.resolve("clips")), "long.mp4", 12, size);
        return http.upload("/jobs", clip, "long.mp4", preset).json().path("id").asText();
    }

    /**
     * The FFmpeg of a segment of the job, frozen (SIGSTOP) while it encodes, once a segment is stored: looked for
     * often from then on (each look reads the metrics and /proc).
     */
    static List<ProcessHandle> frozenSegment(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/jobs/" + id).json(),
                j -> j.path("segments").path("done").asInt() >= 1);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> segmentFrozen(id), list -> !list.isEmpty());
    }

    /**
     * Once its worker shows a part running (the caller waits for a stored segment first), the FFmpeg of a segment of
     * the job, stopped (SIGSTOP) while it encodes; none before, nor when it ended before it was stopped.
     */
    static List<ProcessHandle> segmentFrozen(String id) throws Exception {
        if (!metrics().contains("\ntranscoder_parts_running 1.0")) {
            return List.of();
        }
        return Frozen.encodes(ProcessHandle.current(), id, "segment-");
    }

    static String metrics() throws Exception {
        return app.management().get("/observe/metrics").body();
    }

    static List<String> names(JsonNode job) {
        List<String> names = new ArrayList<>();
        job.path("outputs").forEach(output -> names.add(output.path("name").asText()));
        return names;
    }

    static JsonNode awaitEnd(Http http, String id) {
        return await().atMost(Duration.ofSeconds(180)).until(() -> http.get("/jobs/" + id + "?wait=20").json(),
                j -> List.of("succeeded", "failed", "cancelled").contains(j.path("status").asText()));
    }

    static boolean ffmpegRunsFor(String id) {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(id) && p.isAlive());
    }
}
