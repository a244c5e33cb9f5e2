package io.videotranscoder.job;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.support.Media;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker route with its real beans (embedded Redis, bundled FFmpeg), fed directly instead of from the stream. One
 * app for the class: each test makes its own job. The streams it still reads (webhooks) block briefly, so that it stops
 * at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(replaceRouteFromWith = "worker=direct:work",
               advices = {@AdviceRouteMapping(route = "encode", advice = WorkerRouteTest.FailingFfmpeg.class),
                          @AdviceRouteMapping(route = "store-outputs",
                                              advice = WorkerRouteTest.CancelWhileStored.class),
                          @AdviceRouteMapping(route = "probe-beside", advice = WorkerRouteTest.ProbeOutOfTime.class),
                          @AdviceRouteMapping(route = "worker", advice = WorkerRouteTest.SlowReads.class)},
               properties = {"transcoder.data-dir=target/worker-route-test/videos",
                             "transcoder.inbox-dir=target/worker-route-test/inbox", "transcoder.http-port=18181",
                             "transcoder.management-port=18182", "transcoder.queue-block=100ms"})
class WorkerRouteTest {

    private static final String DISK_FULL = "[out#0/mp4 @ 0x55d] Error writing trailer: No space left on device";
    /** While set, FFmpeg fails before it runs, with these words (as it does on a full disk, say). */
    static volatile String ffmpegFails;
    /** While set, a later attempt of the job has its work folder by the time this one fails. */
    static volatile boolean retriedMeanwhile;

    /** While set, FFmpeg also leaves a playlist naming a segment it did not write (its file never made). */
    static volatile boolean segmentNotWritten;
    /** While set, the probe beside the encode reports what cannot be read. */
    static volatile boolean probeUnreadable;
    /** While set, a ladder's last segment is gone once FFmpeg exits (its write failed on a disk full for a moment). */
    static volatile boolean lastSegmentLost;
    /** While set, the worker fails in itself before the encode, as a defect of this service would. */
    static volatile boolean defect;

    /** The encode route with a failing FFmpeg that a test may switch on. */
    public static class FailingFfmpeg extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("exec-ffmpeg").after().process(exchange -> {
                if (lastSegmentLost) {
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    Path work = Path.of("target/worker-route-test/videos", job.id(), ".work", Attempts.of(exchange));
                    try (var segments = Files.list(work)) {
                        Files.delete(segments.filter(f -> f.getFileName().toString().startsWith("stream_0_"))
                                .max(Comparator.naturalOrder()).orElseThrow());
                    }
                }
                if (segmentNotWritten) {
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    Files.writeString(Path.of("target/worker-route-test/videos", job.id(), ".work",
                            Attempts.of(exchange), "stream_0.m3u8"), "#EXTM3U\n#EXT-X-VERSION:7\n"
                            + "#EXTINF:4.0,\nstream_0_000.m4s\n#EXT-X-ENDLIST\n");
                }
            });
            weaveById("exec-ffmpeg").before().process(exchange -> {
                encoded.add(exchange.getProperty(JobSubmitter.JOB, Job.class).id());
                if (retriedMeanwhile) { // the folder of the attempt a client's retry begins once this one failed
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    Files.createDirectories(Path.of("target/worker-route-test/videos", job.id(), ".work",
                            "ffffffffffffffff"));
                }
                if (defect) {
                    throw new IllegalStateException("a defect of this service");
                }
                if (ffmpegFails != null) {
                    throw new ExecException("ffmpeg exited with 1", null, new ByteArrayInputStream(
                            ffmpegFails.getBytes(StandardCharsets.UTF_8)), 1);
                }
            });
        }
    }

    /** The jobs whose encode began. */
    static final Set<String> encoded = ConcurrentHashMap.newKeySet();

    /**
     * While set, the measure of an input's length reads it at its own pace (FFmpeg's -re: seconds, as a large file's
     * may take minutes), and a client cancels the job as the measure begins.
     */
    static volatile boolean slowMeasure;

    /**
     * While set, the probe run before the encode reads a pipe no one writes to (as an input on a stalled network mount
     * is read, until the probe's time limit of minutes), and a client cancels the job as the probe begins.
     */
    static volatile boolean slowProbe;

    public static class SlowReads extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("exec-measure").before().process(exchange -> {
                if (slowMeasure) {
                    List<String> args = new ArrayList<>(exchange.getIn().getHeader(ExecBinding.EXEC_COMMAND_ARGS,
                            List.class));
                    args.add(args.indexOf("-i"), "-re");
                    exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
                    cancelAsked(exchange);
                }
            });
            weaveById("exec-ffprobe").before().process(exchange -> {
                if (slowProbe) {
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    Path pipe = Path.of("target/worker-route-test/videos", job.id(), "never-written").toAbsolutePath();
                    Media.run("mkfifo", pipe.toString());
                    List<String> args = new ArrayList<>(exchange.getIn().getHeader(ExecBinding.EXEC_COMMAND_ARGS,
                            List.class));
                    args.set(args.size() - 1, "file:" + pipe); // the input
                    exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
                    cancelAsked(exchange);
                }
            });
        }

        private static void cancelAsked(Exchange exchange) {
            JobStore store = exchange.getContext().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
            Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
            assertTrue(new JobTransitions(store).requestCancel(job.id(), Instant.now()).isEmpty());
        }
    }

    /** While set, the probe beside the encode fails as one stopped at its time limit does. */
    static volatile boolean probeOutOfTime;

    /** The probe beside the encode, which a test may have fail after running (as it seems) for its whole limit. */
    public static class ProbeOutOfTime extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("exec-ffprobe-beside").after().process(exchange -> {
                if (probeUnreadable) { // cut short, as Jackson refuses a report past its limits
                    exchange.getIn().setBody("{\"streams\": [{\"codec_type\": \"video\", \"tags\": {\"title\": \"");
                }
            });
            weaveById("exec-ffprobe-beside").before().process(exchange -> {
                if (probeOutOfTime) {
                    exchange.setProperty(ExecStages.STARTED,
                            System.currentTimeMillis() - ExecStages.PROBE_TIMEOUT.toMillis());
                    List<String> args = new ArrayList<>(exchange.getIn().getHeader(ExecBinding.EXEC_COMMAND_ARGS,
                            List.class));
                    args.set(args.size() - 1, "file:/missing"); // the input: ffprobe fails at once
                    exchange.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
                }
            });
        }
    }

    /** While set, a client asks to cancel the job as its outputs are being stored. */
    static volatile boolean cancelWhileStored;

    /** While set, another attempt left its work folder behind by the time the outputs are stored. */
    static volatile boolean strayRun;

    /** The storing of the outputs, during which a test may ask for the job's cancel as a client's DELETE does. */
    public static class CancelWhileStored extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("move-outputs").before().process(exchange -> {
                if (strayRun) { // what an attempt that lost its lease left (a split job's first join)
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    Files.createDirectories(Path.of("target/worker-route-test/videos", job.id(), ".work",
                            "0000beef0000beef")).resolve("output.mp4").toFile().createNewFile();
                }
                if (cancelWhileStored) {
                    JobStore store = exchange.getContext().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
                    Job job = exchange.getProperty(JobSubmitter.JOB, Job.class);
                    assertTrue(new JobTransitions(store).requestCancel(job.id(), Instant.now()).isEmpty());
                }
            });
        }
    }

    @BeanInject
    CamelContext context;

    @BeanInject("jobSubmitter")
    JobSubmitter submitter;

    @BeanInject("jobStore")
    JobStore store;

    @Produce("direct:work")
    ProducerTemplate worker;

    /** A job of a 1 s clip that another worker began from its entry 1-0 under {@code attempt}, at {@code delivery}. */
    private Job begunElsewhere(String attempt, long delivery) throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));
        assertTrue(new JobTransitions(store).begin(job.id(), attempt, "other", delivery, Instant.now(), "1-0", "")
                .isEmpty());
        return job;
    }

    private static Path clips() throws Exception {
        return Files.createDirectories(Path.of("target/worker-route-test/clips"));
    }

    private Job queued(Path file) throws Exception {
        return queued(file, false);
    }

    /** @param splitOff whether the job runs as one encode: its input is then probed beside the encode */
    private Job queued(Path file, boolean splitOff) throws Exception {
        return queued(file, splitOff, TranscodeOptions.DEFAULT.toPreset());
    }

    private Job queued(Path file, boolean splitOff, Preset preset) throws Exception {
        Path upload = Files.createTempFile(clips(), "upload", ".mp4");
        Files.copy(file, upload, StandardCopyOption.REPLACE_EXISTING);
        var exchange = new DefaultExchange(context);
        exchange.setProperty(JobOwner.PROPERTY, JobOwner.keyless(JobOwner.DEFAULT_TENANT));
        exchange.setProperty(JobSubmitter.SPLIT_OFF, splitOff);
        submitter.create(new JobRequest("api", upload, file.getFileName().toString(), preset), exchange);
        submitter.record(exchange); // its input stays where create moved it: the local data root stores it
        return exchange.getProperty(JobSubmitter.JOB, Job.class);
    }

    private void deliver(Job job, long deliveries, boolean exhausted) {
        deliver(job, "1-0", deliveries, exhausted);
    }

    private void deliver(Job job, String entry, long deliveries, boolean exhausted) {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("worker").whenDone(1).create();
        worker.sendBodyAndHeaders(Map.of("job", job.id()), Map.of(RedisStreamConstants.DELIVERY_COUNT, deliveries,
                RedisStreamConstants.EXHAUSTED, exhausted, RedisStreamConstants.CONSUMER, "test",
                RedisStreamConstants.ENTRY_ID, entry));
        assertTrue(done.matches(60, TimeUnit.SECONDS));
    }

    @Test
    void runs_a_queued_job_to_success() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        deliver(job, 1, false);

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("output.mp4", done.mainOutput());
        assertEquals("test", done.worker());
        assertEquals(1, done.attempts());
    }

    @Test
    void a_succeeded_job_keeps_no_work_folder_not_even_one_another_attempt_left() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        strayRun = true;
        try {
            deliver(job, 1, false);
        } finally {
            strayRun = false;
        }

        assertEquals(JobStatus.SUCCEEDED, store.find(job.id()).orElseThrow().status());
        assertTrue(Files.notExists(Path.of("target/worker-route-test/videos", job.id(), ".work")));
    }

    @Test
    void a_cancel_asked_while_the_outputs_are_stored_ends_the_job_cancelled_without_them() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        cancelWhileStored = true;
        try {
            deliver(job, 1, false);
        } finally {
            cancelWhileStored = false;
        }

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.CANCELLED, done.status(), "the client's 202 is kept: " + done.error());
        assertTrue(done.outputs().isEmpty());
        assertTrue(Files.notExists(Path.of("target/worker-route-test/videos", job.id())), "its files are removed");
    }

    @Test
    void an_exhausted_delivery_fails_the_job_without_running_it() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        deliver(job, 4, true);

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, done.status());
        assertTrue(done.error().startsWith("Gave up after 3 attempts"), done.error());
        assertTrue(done.outputs().isEmpty());
    }

    /** A split job sent back to run again (its parts lost): that was no attempt's reason, and is not given as one. */
    @Test
    void an_exhausted_delivery_of_a_job_run_again_gives_no_last_reason_of_its_own() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));
        store.redis().hset(store.keys().job(job.id()), "error", AttemptEnds.PARTS_LOST);

        deliver(job, 4, true);

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, done.status());
        assertTrue(done.error().startsWith("Gave up after 3 attempts: each time, the worker running the job stopped"),
                done.error());
    }

    @Test
    void an_exhausted_entry_from_before_a_retry_leaves_the_retried_job_queued() throws Exception {
        Job job = begunElsewhere("aaaaaaaa", 3);
        JobTransitions moves = new JobTransitions(store);
        assertTrue(moves.fail(job.id(), "aaaaaaaa", "killed", Instant.now()).isEmpty());
        assertTrue(moves.retry(job.id(), Attempts.token()).isEmpty()); // its worker was killed before acknowledging

        deliver(job, "1-0", 4, true);

        Job retried = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, retried.status(), retried.error());
    }

    /** The job's worker kept dying on its last delivery (say, out of memory), and the client cancelled meanwhile. */
    @Test
    void a_cancel_asked_on_the_last_delivery_is_carried_out_not_given_up() throws Exception {
        Job job = begunElsewhere("aaaaaaaa", 3);
        JobTransitions moves = new JobTransitions(store);
        assertTrue(moves.requestCancel(job.id(), Instant.now()).isEmpty());

        deliver(job, "1-0", 4, true);

        assertEquals(JobStatus.CANCELLED, store.find(job.id()).orElseThrow().status());
    }

    /**
     * A worker frozen after it read the job's entry, before its begin, wakes after another worker took the entry over
     * (its second delivery) and began the job: it takes nothing, and leaves the entry unacknowledged, to its owner.
     */
    @Test
    void an_earlier_delivery_of_a_job_begun_from_a_later_one_begins_nothing_and_acknowledges_nothing()
            throws Exception {
        String holder = Attempts.token();
        Job job = begunElsewhere(holder, 2);

        CamelExecutionException stale = assertThrows(CamelExecutionException.class, () -> deliver(job, "1-0", 1,
                false));

        assertInstanceOf(AttemptLost.class, stale.getCause(), "the consumer leaves the entry to its owner");
        assertEquals(holder, store.field(job.id(), "attempt").orElseThrow());
        assertEquals(JobStatus.RUNNING, store.find(job.id()).orElseThrow().status());
    }

    @Test
    void a_duplicate_entry_of_a_running_job_is_dropped_even_when_its_deliveries_ran_out() throws Exception {
        String attempt = Attempts.token();
        Job job = begunElsewhere(attempt, 1);

        deliver(job, "2-0", 4, true); // a second entry of the job, as a requeue racing a retry makes

        Job running = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status(), running.error());
        assertEquals(attempt, store.attempt(job.id()).orElseThrow(), "the worker running it keeps it");
        assertEquals("other", running.worker());
    }

    /** Its worker split it, then died before acknowledging its entry: delivered again, even for the last time. */
    @Test
    void a_split_jobs_own_entry_delivered_again_leaves_the_job_to_its_parts_even_when_its_deliveries_ran_out()
            throws Exception {
        String attempt = Attempts.token();
        Job job = begunElsewhere(attempt, 3);
        assertTrue(new SegmentLedger(store).split(job.id(), attempt, List.of(
                new Part(job.id(), Part.Kind.SEGMENT, 0, 0, null, 1))));

        deliver(job, "1-0", 4, true);

        Job running = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.RUNNING, running.status(), running.error());
        assertEquals(attempt, store.attempt(job.id()).orElseThrow(), "its parts' attempt keeps it");
    }

    @Test
    void a_job_already_succeeded_is_never_run_again() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));
        deliver(job, 1, false);
        Job first = store.find(job.id()).orElseThrow();

        deliver(job, 2, false); // a redelivery after the outcome was stored

        Job again = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, again.status());
        assertEquals(first.finishedAt(), again.finishedAt());
        assertEquals(1, again.attempts());
    }

    @Test
    void an_audio_only_input_fails_with_the_reason() throws Exception {
        Job job = queued(Media.audioOnly(clips(), "tone.m4a"));

        deliver(job, 1, false);

        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, done.status());
        assertTrue(done.error().contains("no video stream"), done.error());
        assertTrue(Files.notExists(Path.of("target/worker-route-test/videos", job.id(), ".work")), "work folder removed");
    }

    /** A cancel stops the measure of an input that states no length, as it stops an encode: the encode never begins. */
    @Test
    void a_cancel_stops_the_measure_of_an_input_that_states_no_length() throws Exception {
        Job job = queued(Media.streamedMatroska(Media.clip(clips(), "eight.mp4", 8, "640x360"),
                clips().resolve("eight.mkv")));

        slowMeasure = true;
        try {
            deliver(job, 1, false);
        } finally {
            slowMeasure = false;
        }

        assertEquals(JobStatus.CANCELLED, store.find(job.id()).orElseThrow().status());
        assertFalse(encoded.contains(job.id()), "stopped as it measured, not once it was measured");
    }

    /**
     * A cancel stops the probe run before the encode (an input slow to read, here a pipe no one writes to), as it stops
     * an encode: within moments, not at the probe's time limit of minutes.
     */
    @Test
    void a_cancel_stops_the_probe_that_runs_before_the_encode() throws Exception {
        Job job = queued(Media.streamedMatroska(Media.clip(clips(), "one.mp4", 1, "320x240"),
                clips().resolve("one.mkv")));

        slowProbe = true;
        long began = System.nanoTime();
        try {
            deliver(job, 1, false);
        } finally {
            slowProbe = false;
        }

        assertTrue(Duration.ofNanos(System.nanoTime() - began).compareTo(ExecStages.PROBE_TIMEOUT.dividedBy(2)) < 0,
                "stopped by the cancel, not at the probe's time limit");
        assertEquals(JobStatus.CANCELLED, store.find(job.id()).orElseThrow().status());
        assertFalse(encoded.contains(job.id()), "stopped as it probed, not once it was probed");
    }

    @Test
    void a_probe_beside_the_encode_stopped_at_its_limit_fails_the_job_for_time_not_as_not_a_video() throws Exception {
        Job job = queued(Media.clip(clips(), "four.mp4", 4, "320x240"), true);

        Job done = deliveredWith(job, on -> probeOutOfTime = on);

        assertEquals(JobStatus.FAILED, done.status());
        assertTrue(done.error().startsWith("ffprobe could not read the file within its limit"), done.error());
    }

    @Test
    void a_failed_attempt_removes_its_own_work_folder_only() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        retriedMeanwhile = true;
        ffmpegFails = "[mov,mp4 @ 0x55d] moov atom not found";
        try {
            deliver(job, 1, false);
        } finally {
            retriedMeanwhile = false;
            ffmpegFails = null;
        }

        assertEquals(JobStatus.FAILED, store.find(job.id()).orElseThrow().status());
        Path work = Path.of("target/worker-route-test/videos", job.id(), ".work");
        try (var left = Files.list(work)) {
            assertEquals(List.of(work.resolve("ffffffffffffffff")), left.toList(), "the later attempt's stays");
        }
    }

    /**
     * FFmpeg's HLS muxer exits 0 although a segment's file could not be made (a disk full for a moment): its playlist
     * names a file that is not there. Not published: the attempt is tried again, as for a cut file.
     */
    @Test
    void a_playlist_naming_a_segment_not_written_sends_the_job_back_to_the_queue() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        segmentNotWritten = true;
        try {
            assertSentBackAsCut(job);
        } finally {
            segmentNotWritten = false;
        }
    }

    /** The job once delivered while a fault is switched on ({@code fault} with true, then false). */
    private Job deliveredWith(Job job, Consumer<Boolean> fault) {
        fault.accept(true);
        try {
            deliver(job, 1, false);
        } finally {
            fault.accept(false);
        }
        return store.find(job.id()).orElseThrow();
    }

    /** Delivers the job once: the attempt is sent back to the queue, its output found cut. */
    private void assertSentBackAsCut(Job job) {
        assertSentBack(job, "FFmpeg reported success but wrote a cut output");
    }

    /** Delivers the job once: the attempt is sent back to the queue, and the job tells {@code why}. */
    private void assertSentBack(Job job, String why) {
        CamelExecutionException retried = assertThrows(CamelExecutionException.class, () -> deliver(job, 1, false));
        assertInstanceOf(JobRetry.class, retried.getCause());
        Job back = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, back.status(), back.error());
        assertTrue(back.error().contains(why), back.error());
    }

    /**
     * A ladder whose segment's write failed (its one segment here, its first and last): the attempt is tried again, as
     * for any cut output, before its playlists or its sound are probed (ffprobe found no such file, and the job failed
     * for good as an output that cannot be read).
     */
    @Test
    void a_ladder_whose_last_segment_is_gone_sends_the_job_back_to_the_queue() throws Exception {
        Preset ladder = PresetCatalog.load(null, Set.of()).find("hls-ladder").orElseThrow();
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"), false, ladder);

        lastSegmentLost = true;
        try {
            assertSentBackAsCut(job);
        } finally {
            lastSegmentLost = false;
        }
    }

    /**
     * A failure of the service itself (a defect) is tried again, named by its kind: it went uncaught, its entry was
     * delivered again after its lease, and the job was given up "each time, the worker running the job stopped".
     */
    @Test
    void a_defect_of_the_service_is_tried_again_and_named_when_the_job_is_given_up() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        String named = "an internal error in this service (IllegalStateException; the worker's log has it)";
        defect = true;
        try {
            assertSentBack(job, named);
        } finally {
            defect = false;
        }

        deliver(job, 4, true);
        Job done = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, done.status());
        assertTrue(done.error().startsWith("Gave up after 3 attempts: the last one: Attempt 1: " + named),
                done.error());
    }

    /**
     * An input that ffprobe describes past what the service reads (a metadata value of tens of megabytes) is the
     * input's fault: refused at once, not tried again as a failure of the service.
     */
    @Test
    void a_probe_report_that_cannot_be_read_fails_the_job_at_once() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"), true);

        Job done = deliveredWith(job, on -> probeUnreadable = on);

        assertEquals(JobStatus.FAILED, done.status(), done.error());
        assertTrue(done.error().startsWith("ffprobe's description of the input could not be read"), done.error());
    }

    @Test
    void a_disk_that_fills_up_under_ffmpeg_sends_the_job_back_to_the_queue() throws Exception {
        Job job = queued(Media.clip(clips(), "clip.mp4", 1, "320x240"));

        ffmpegFails = DISK_FULL;
        CamelExecutionException retried;
        try {
            // As the queue's consumer reads it: try again after the delay the exchange carries.
            retried = assertThrows(CamelExecutionException.class, () -> deliver(job, 1, false));
        } finally {
            ffmpegFails = null;
        }

        assertInstanceOf(JobRetry.class, retried.getCause());
        Job back = store.find(job.id()).orElseThrow();
        assertEquals(JobStatus.QUEUED, back.status(), back.error());
        assertTrue(back.error().startsWith("Attempt 1: The disk filled up while FFmpeg wrote the output; retrying in "),
                back.error());
    }
}
