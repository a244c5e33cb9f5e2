package io.videotranscoder;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.http.ApiDocs;
import io.videotranscoder.http.BodyRates;
import io.videotranscoder.http.CrossOrigin;
import io.videotranscoder.http.CutBodies;
import io.videotranscoder.http.HeadDeadlines;
import io.videotranscoder.http.Http1Vertx;
import io.videotranscoder.http.JobViews;
import io.videotranscoder.http.JobWaits;
import io.videotranscoder.http.ObjectRelay;
import io.videotranscoder.http.OutputDownload;
import io.videotranscoder.http.ProxiedDownloads;
import io.videotranscoder.http.PageFiles;
import io.videotranscoder.http.ServersListening;
import io.videotranscoder.http.PresetViews;
import io.videotranscoder.http.Problems;
import io.videotranscoder.http.RouterErrors;
import io.videotranscoder.http.SplitField;
import io.videotranscoder.http.StreamedUploads;
import io.videotranscoder.http.UploadReceiver;
import io.videotranscoder.job.JobEvents;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.Storage;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.LifecycleStrategySupport;
import redis.clients.jedis.JedisPooled;

/** The HTTP API: its server, what its routes call, and the handlers mounted on its router ahead of the routes. */
public class HttpConfiguration implements CamelConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @PropertyInject("transcoder.http-port")
    private int port;

    @PropertyInject("transcoder.cut-body-deadline")
    private Duration cutBodyDeadline;

    /** An upload into an object store is sent a part of this size at a time, as it arrives. */
    @PropertyInject("transcoder.s3-part-size")
    private int partSize;

    @PropertyInject("transcoder.max-upload-bytes")
    private long maxUploadBytes;

    /** How many uploads may stream into the store at once; 0: as many as half the heap holds. */
    @PropertyInject("transcoder.max-streamed-uploads")
    private int maxStreamedUploads;

    /** How many form uploads one API key may send to this process at once; 0: any number. */
    @PropertyInject("transcoder.max-uploads-per-key")
    private int maxUploadsPerKey;

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one Vert.x. */
    private Vertx vertx;
    private JobEvents jobEvents;

    /** With the management server beside it, platform-http cannot tell which server its routes join unless told. */
    @BindToRegistry
    public VertxPlatformHttpServerConfiguration apiServer() {
        VertxPlatformHttpServerConfiguration api = new VertxPlatformHttpServerConfiguration();
        api.setBindPort(port);
        return api;
    }

    /**
     * Closed once Camel has stopped, after the servers on it; they close connections slow to bring a request head, and
     * cut off request bodies that come too slowly.
     */
    @BindToRegistry
    public Vertx vertx(CamelContext context, @PropertyInject("transcoder.max-form-parts") int maxFormParts,
            @PropertyInject("transcoder.request-head-timeout") Duration headTimeout,
            @PropertyInject("transcoder.min-body-rate") long minBodyRate,
            @PropertyInject("transcoder.body-rate-window") Duration bodyRateWindow,
            @PropertyInject("transcoder.body-stall") Duration bodyStall) throws Exception {
        if (vertx == null) {
            HeadDeadlines deadlines = new HeadDeadlines(headTimeout);
            context.addStartupListener(deadlines);
            context.addStartupListener(new BodyRates(minBodyRate, bodyRateWindow, bodyStall, port));
            vertx = Http1Vertx.create(maxFormParts, deadlines);
            context.addLifecycleStrategy(new LifecycleStrategySupport() {
                @Override
                public void onContextStopped(CamelContext stopped) {
                    vertx.close().toCompletionStage().toCompletableFuture().join();
                }
            });
        }
        return vertx;
    }

    @BindToRegistry
    public JobViews jobViews(JobStore store) {
        return new JobViews(store, JSON);
    }

    @BindToRegistry
    public PresetViews presetViews(PresetCatalog presets) {
        return new PresetViews(presets, JSON);
    }

    @BindToRegistry
    public UploadReceiver uploads(PresetCatalog presets, FfmpegTools ffmpeg, DiskSpace disk) {
        return new UploadReceiver(presets, ffmpeg.encoders(), disk);
    }

    /** The split field of a new job. */
    @BindToRegistry
    public SplitField splitField() {
        return new SplitField();
    }

    /** Outputs in an object store are proxied or redirected (transcoder.s3-download); local ones sent from disk. */
    @BindToRegistry
    public OutputDownload outputDownload(JobViews views, Storage storage, Vertx vertx,
            @PropertyInject("transcoder.s3-download") String mode,
            @PropertyInject("transcoder.max-downloads-per-key") int maxPerKey) {
        return new OutputDownload(views, storage, storage.local() ? null : new ObjectRelay(storage, vertx, mode,
                maxPerKey));
    }

    @BindToRegistry
    public Problems problems() {
        return new Problems();
    }

    /** What this process hears of jobs' changes: one Redis connection for the waits and the event streams. */
    @BindToRegistry
    public JobEvents jobEvents(JobStore store, JedisPooled redis,
            @PropertyInject("transcoder.redis-timeout") Duration replyTimeout) {
        if (jobEvents == null) {
            jobEvents = new JobEvents(redis, store, replyTimeout);
        }
        return jobEvents;
    }

    /** Holds a {@code ?wait=} request until the job's end is published on Redis. */
    @BindToRegistry
    public JobWaits jobWaits(JobStore store, JobEvents events,
            @PropertyInject("transcoder.max-waits-per-key") int maxPerKey) {
        return new JobWaits(store, events, port, maxPerKey);
    }

    /**
     * Camel's HTTP engine, as it would make it, with one handler of ours after the body's: a body read whole is marked
     * so at once ({@link CutBodies#read}), not when its route reaches a worker thread, which a busy pool delayed past
     * the cut body's deadline (a whole upload answered 400, or its job made after that answer).
     */
    @BindToRegistry(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME)
    public VertxPlatformHttpEngine platformHttpEngine() {
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        engine.setHandlers(List.of(CutBodies::read));
        return engine;
    }

    /** The router exists once the server has started: the guards, the docs and the wait handler are mounted then. */
    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new ServersListening(port));
        context.addStartupListener(new RouterErrors(port, cutBodyDeadline));
        context.addStartupListener((started, alreadyStarted) -> new StreamedUploads(port,
                started.getRegistry().lookupByNameAndType("storage", Storage.class), partSize, maxUploadBytes,
                maxStreamedUploads > 0 ? maxStreamedUploads : StreamedUploads.heapHolds(partSize), maxUploadsPerKey,
                started.getRegistry().findSingleByType(DiskSpace.class))
                .onCamelContextStarted(started, alreadyStarted));
        context.addStartupListener((started, alreadyStarted) -> new ProxiedDownloads(
                started.getRegistry().findSingleByType(JobStore.class),
                started.getRegistry().findSingleByType(OutputDownload.class), port)
                .onCamelContextStarted(started, alreadyStarted));
        context.addStartupListener(CrossOrigin.from(context.getPropertiesComponent(), port));
        context.addStartupListener(new ApiDocs(port));
        context.addStartupListener((started, alreadyStarted) -> new PageFiles(port,
                started.getRegistry().findSingleByType(OutputDownload.class).redirectOrigin())
                .onCamelContextStarted(started, alreadyStarted));
        context.addStartupListener((started, alreadyStarted) -> started.getRegistry()
                .lookupByNameAndType("jobWaits", JobWaits.class).onCamelContextStarted(started, alreadyStarted));
    }
}
