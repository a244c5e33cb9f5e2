package io.videotranscoder;

import java.time.Clock;
import java.time.Duration;

import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.job.EncodeWatcher;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.job.ProbeBesideEncode;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The worker: the steps of a job's run, the watchdog beside each encode, and how the probe beside it joins it. */
public class WorkerConfiguration implements CamelConfiguration {

    @PropertyInject("transcoder.encode-timeout")
    private Duration encodeTimeout;

    /** Stops an encode that stalls, runs far longer than its input lasts, or past the timeout. */
    @BindToRegistry
    public EncodeWatcher encodeWatcher(JobStore store, @PropertyInject("transcoder.stall-timeout") Duration stall,
            @PropertyInject("transcoder.max-slowdown") double maxSlowdown,
            @PropertyInject("transcoder.min-encode-limit") Duration minLimit,
            @PropertyInject("transcoder.stop-grace") Duration stopGrace) {
        return new EncodeWatcher(store, stall, maxSlowdown, minLimit, encodeTimeout, stopGrace);
    }

    @BindToRegistry
    public JobWorker jobWorker(JobStore store, JobFiles files, FfmpegTools ffmpeg, EncodeWatcher watcher, Clock clock,
            InputPolicy policy, FfmpegSandbox sandbox,
            @PropertyInject("transcoder.retry-backoff") Duration retryBackoff) {
        return new JobWorker(store, files, ffmpeg, watcher, encodeTimeout, retryBackoff, clock, policy, sandbox);
    }

    @BindToRegistry
    public ProbeBesideEncode probeBesideEncode() {
        return new ProbeBesideEncode();
    }
}
