package io.videotranscoder;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.videotranscoder.ffmpeg.FfmpegSandbox;
import io.videotranscoder.ffmpeg.FfmpegTools;
import io.videotranscoder.http.CrossOrigin;
import io.videotranscoder.http.Http1Vertx;
import io.videotranscoder.http.JobViews;
import io.videotranscoder.http.JobWaits;
import io.videotranscoder.http.OutputDownload;
import io.videotranscoder.http.PresetViews;
import io.videotranscoder.http.Problems;
import io.videotranscoder.http.RouterErrors;
import io.videotranscoder.http.UploadReceiver;
import io.videotranscoder.inbox.InboxClaims;
import io.videotranscoder.inbox.InboxFilter;
import io.videotranscoder.inbox.InboxResults;
import io.videotranscoder.job.EncodeWatcher;
import io.videotranscoder.job.Housekeeping;
import io.videotranscoder.job.JobControl;
import io.videotranscoder.job.JobEvents;
import io.videotranscoder.job.JobFiles;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.job.ProbeBesideEncode;
import io.videotranscoder.metrics.OutcomeMeters;
import io.videotranscoder.metrics.TranscoderMetrics;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.queue.RedisStreamComponent;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.redis.RedisHealthCheck;
import io.videotranscoder.storage.DiskSpace;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import redis.clients.jedis.JedisPooled;

/** Builds the beans the routes call, in dependency order, before any route starts. */
public class TranscoderConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = Settings.from(context.getPropertiesComponent());
        Settings.Intake intake = Settings.Intake.from(context.getPropertiesComponent());
        Files.createDirectories(settings.dataDir());
        Registry registry = context.getRegistry();
        // With the management server beside it, platform-http cannot tell which server its routes join unless told.
        VertxPlatformHttpServerConfiguration api = new VertxPlatformHttpServerConfiguration();
        api.setBindPort(settings.httpPort());
        registry.bind("apiServer", api);
        Vertx vertx = Http1Vertx.create(intake.maxFormParts());
        registry.bind("vertx", vertx);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                vertx.close().toCompletionStage().toCompletableFuture().join(); // after the servers on it
            }
        });
        context.addStartupListener(new RouterErrors(settings.httpPort(), intake.cutBodyDeadline()));
        context.addStartupListener(CrossOrigin.from(context.getPropertiesComponent(), settings.httpPort()));

        String redisUrl = settings.redisUrl();
        if (redisUrl == null) {
            EmbeddedRedis embedded = new EmbeddedRedis(settings.dataDir().resolve(".redis"));
            embedded.start();
            context.addService(embedded, true, true);
            redisUrl = embedded.url();
        }
        // Every poller blocks on one connection; HTTP threads share the rest.
        JedisPooled redis = RedisConnections.pooled(redisUrl, settings.concurrency() * 2 + 32);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                redis.close();
            }
        }, true, true);
        registry.bind("redis", redis);
        context.addComponent("redis-stream", new RedisStreamComponent(redis));

        FfmpegTools ffmpeg = FfmpegTools.locate(settings.ffmpegPath(), settings.ffprobePath(), settings.cacheDir());
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        PresetCatalog presets = PresetCatalog.load(settings.presetsDir(), ffmpeg.encoders());
        JobStore store = new JobStore(redis, settings.keyPrefix());
        JobFiles files = new JobFiles(settings.dataDir());
        Clock clock = Clock.systemUTC();
        JobViews views = new JobViews(store, json);

        registry.bind("ffmpeg", ffmpeg);
        registry.bind("jobStore", store);
        registry.bind("jobFiles", files);
        EncodeWatcher watcher = new EncodeWatcher(store, settings.stallTimeout(), settings.maxSlowdown(),
                settings.minEncodeLimit(), settings.encodeTimeout(), settings.stopGrace());
        registry.bind("presets", presets);
        registry.bind("presetViews", new PresetViews(presets, json));
        DiskSpace disk = new DiskSpace(settings.dataDir(), settings.minFreeBytes());
        registry.bind("uploads", new UploadReceiver(presets, ffmpeg.encoders(), disk));
        registry.bind("jobSubmitter", new JobSubmitter(store, files, clock));
        registry.bind("encodeWatcher", watcher);
        InboxClaims inbox = new InboxClaims(settings.inboxDir(), presets, settings.instanceName(),
                settings.inboxClaimTimeoutMillis(), clock);
        InboxResults inboxResults = new InboxResults(store, files, inbox, settings.outboxDir(),
                intake.deleteInboxOriginals());
        registry.bind("jobControl", new JobControl(store, files, clock, inboxResults));
        Duration lease = Duration.ofMillis(Long.parseLong(context.resolvePropertyPlaceholders("{{transcoder.lease-ms}}")));
        registry.bind("housekeeping", new Housekeeping(store, files, redis, settings.keyPrefix() + "jobs",
                settings.retention(), settings.failedRetention(), settings.housekeepingPeriod(), lease, clock,
                inboxResults));
        FfmpegSandbox sandbox = FfmpegSandbox.detect(ffmpeg.ffmpeg(), settings.ffmpegNetwork(),
                settings.ffmpegMemoryBytes());
        JobWorker worker = new JobWorker(store, files, ffmpeg, watcher, settings.encodeTimeout(),
                settings.retryBackoff(), clock, settings.inputPolicy(), sandbox);
        registry.bind("probeBesideEncode", new ProbeBesideEncode());
        registry.bind("jobWorker", worker);

        // One registry for Camel's route metrics and ours (Main binds it before the management server starts).
        MeterRegistry meters = MicrometerUtils.getMeterRegistryFromCamelRegistry(registry,
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (meters == null) {
            meters = TranscoderMetrics.registry();
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        TranscoderMetrics.bindQueue(meters, redis, settings.keyPrefix() + "jobs", "workers");
        TranscoderMetrics.bindRunning(meters, worker.running());
        TranscoderMetrics.bindStore(meters, redis, store);
        TranscoderMetrics.bindKnownCounters(context, meters, presets);
        registry.bind("outcomeMeters", new OutcomeMeters(meters));
        HealthCheckRegistry.get(context).register(new RedisHealthCheck(redis));
        JobWaits waits = new JobWaits(store, new JobEvents(redis, store.eventChannel()), settings.httpPort());
        context.addStartupListener(waits);
        registry.bind("jobWaits", waits);
        registry.bind("jobViews", views);
        registry.bind("outputDownload", new OutputDownload(views, files));
        registry.bind("problems", new Problems());

        registry.bind("inbox", inbox);
        registry.bind("inboxFilter", new InboxFilter(settings.inboxStableMillis(), disk, clock));
        registry.bind("inboxResults", inboxResults);
    }
}
