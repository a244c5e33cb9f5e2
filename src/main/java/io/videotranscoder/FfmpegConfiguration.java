package io.videotranscoder;

import java.nio.file.Path;

import io.videotranscoder.ffmpeg.CodecThreads;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.ffmpeg.InputPolicy;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.process.BoundedExec;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.exec.ExecComponent;

/** FFmpeg: the executables and the encoders they really have, how each run is confined, and what it may be given. */
public class FfmpegConfiguration implements CamelConfiguration {

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): each runs once. */
    private FfmpegTools ffmpeg;
    private FfmpegSandbox sandbox;
    private PresetCatalog presets;

    /** A configured FFmpeg, else the one bundled in the jar; asked for its encoders ({@code ffmpeg -encoders}). */
    @BindToRegistry
    public FfmpegTools ffmpeg(@PropertyInject("transcoder.ffmpeg-path") String ffmpeg,
            @PropertyInject("transcoder.ffprobe-path") String ffprobe,
            @PropertyInject("transcoder.cache-dir") String cacheDir,
            @PropertyInject("transcoder.ffmpeg-threads") int threads,
            @PropertyInject("transcoder.ffmpeg-memory-mb") long memoryMb) throws Exception {
        if (this.ffmpeg == null) {
            this.ffmpeg = FfmpegTools.locate(ffmpeg, ffprobe, Path.of(cacheDir),
                    CodecThreads.within(threads, memoryMb, CodecThreads.coresFfmpegSees()));
        }
        return this.ffmpeg;
    }

    @BindToRegistry
    public FfmpegSandbox ffmpegSandbox(FfmpegTools ffmpeg, @PropertyInject("transcoder.ffmpeg-network") String network,
            @PropertyInject("transcoder.ffmpeg-memory-mb") long memoryMb) {
        if (sandbox == null) {
            sandbox = FfmpegSandbox.detect(ffmpeg.ffmpeg(), FfmpegSandbox.isolation(network), memoryMb << 20);
        }
        return sandbox;
    }

    /** The shipped presets and the operator's, each marked with whether this FFmpeg can run it. */
    @BindToRegistry
    public PresetCatalog presets(FfmpegTools ffmpeg, @PropertyInject("transcoder.presets-dir") String dir)
            throws Exception {
        if (presets == null) {
            presets = PresetCatalog.load(dir.isBlank() ? null : Path.of(dir), ffmpeg.encoders());
        }
        return presets;
    }

    /** The routes' {@code exec:} endpoints, which keep at most a few MiB of what a program prints ({@link BoundedExec}). */
    @BindToRegistry("exec")
    public ExecComponent exec() {
        return BoundedExec.component();
    }

    @BindToRegistry
    public InputPolicy inputPolicy(@PropertyInject("transcoder.max-input-seconds") long maxSeconds,
            @PropertyInject("transcoder.max-input-pixels") long maxPixels,
            @PropertyInject("transcoder.max-input-frame-rate") double maxFrameRate) {
        return new InputPolicy(maxSeconds, maxPixels, maxFrameRate);
    }
}
