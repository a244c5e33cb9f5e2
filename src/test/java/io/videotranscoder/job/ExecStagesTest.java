package io.videotranscoder.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.videotranscoder.ffmpeg.CodecThreads;
import io.videotranscoder.ffmpeg.FfmpegArguments;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/** The exec commands the worker's stages leave for camel-exec. */
class ExecStagesTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(240);
    private static final Path FFMPEG = Path.of("/opt/ffmpeg/ffmpeg");

    @TempDir
    Path root;

    @Test
    void a_parts_encode_has_a_whole_encodes_backstop_behind_the_watchers_timeout() {
        ExecStages stages = stages();
        Job job = job();
        CamelContext context = new DefaultCamelContext();
        Exchange whole = exchange(context);
        Exchange part = exchange(context);

        stages.encode(whole, job, null);
        stages.encodePart(part, job, new Part(job.id(), Part.Kind.SEGMENT, 0, 0, 3.0, 3), root.resolve("part"));

        long limit = whole.getIn().getHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, Long.class);
        assertTrue(limit > TIMEOUT.plusSeconds(10).toMillis(), "after the watcher's stop and its SIGKILL: " + limit);
        assertEquals(limit, part.getIn().getHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, Long.class));
    }

    /** A measure reads a whole input, which a large one takes longer than a probe's limit to do. */
    @Test
    void a_measure_has_a_limit_of_its_own_longer_than_a_probes() {
        ExecStages stages = stages();
        Exchange measure = exchange(new DefaultCamelContext());

        stages.measure(measure, job());

        long limit = measure.getIn().getHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, Long.class);
        assertEquals(ExecStages.MEASURE_TIMEOUT.toMillis(), limit);
        assertTrue(limit > ExecStages.PROBE_TIMEOUT.toMillis());
        ExecStages.judgeAs(measure, "measure", System.currentTimeMillis() - ExecStages.PROBE_TIMEOUT.toMillis());
        assertFalse(stages.ranOutOfTime(measure), "not out of time at a probe's limit");
        ExecStages.judgeAs(measure, "measure", System.currentTimeMillis() - limit);
        assertTrue(stages.ranOutOfTime(measure));
    }

    /**
     * A stop the watcher asked as the measure ended by itself (a stall seen at its last moment, say) is forgotten with
     * the measure: the encode, watched under the same run, would have been taken for stopped.
     */
    @Test
    void a_stop_asked_as_a_measure_ended_is_not_the_encodes() throws Exception {
        EncodeWatcher watcher = watcher();
        ExecStages stages = stages(watcher);
        Job job = job();
        Exchange measure = exchange(new DefaultCamelContext());
        Path work = Files.createDirectories(new JobFiles(root).workDir(job.id(), Attempts.of(measure)));
        stages.measure(measure, job);
        String run = EncodeWatcher.run(measure, job.id());
        watcher.stopNow(run, EncodeWatcher.Stop.STALLED);
        assertEquals(Optional.of(EncodeWatcher.Stop.STALLED), watcher.stopReason(run));
        Files.writeString(work.resolve(FfmpegArguments.PROGRESS_FILE), "out_time_us=4000000\nprogress=end\n");

        assertEquals(4.0, stages.measured(measure, job));

        assertEquals(Optional.empty(), watcher.stopReason(run));
        assertFalse(Files.exists(work.resolve(FfmpegArguments.PROGRESS_FILE)), "not taken for the encode's report");
    }

    private ExecStages stages() {
        return stages(watcher());
    }

    private static EncodeWatcher watcher() {
        return new EncodeWatcher(mock(JobStore.class), Duration.ofSeconds(1), Duration.ofMinutes(5), 4,
                Duration.ofMinutes(1), TIMEOUT, Duration.ofSeconds(5));
    }

    private ExecStages stages(EncodeWatcher watcher) {
        return new ExecStages(new FfmpegTools(FFMPEG, FFMPEG.resolveSibling("ffprobe"), Set.of(),
                CodecThreads.FFMPEG_CHOOSES), FfmpegSandbox.detect(FFMPEG, FfmpegSandbox.Isolation.OFF, 0),
                new JobFiles(root), new InputPolicy(21600, 35389440, 240), TIMEOUT, watcher);
    }

    private static Job job() {
        return Job.queued(JobIds.next(), "api", "default", "clip.mp4", TranscodeOptions.DEFAULT.toPreset(),
                "input.mp4", 1, Instant.now());
    }

    private static Exchange exchange(CamelContext context) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(Attempts.PROPERTY, Attempts.token());
        return exchange;
    }
}
