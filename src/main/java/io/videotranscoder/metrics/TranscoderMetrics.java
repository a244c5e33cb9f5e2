package io.videotranscoder.metrics;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.videotranscoder.ffmpeg.TranscodeOptions;
import io.videotranscoder.job.JobFailure;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.preset.PresetCatalog;
import io.videotranscoder.queue.GroupBacklog;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The service's own meters that are not recorded by a route: the queue, read from Redis at each scrape, and the
 * jobs this process is running. Also the Prometheus registry, with real buckets for the job histograms.
 */
public final class TranscoderMetrics {

    /** Seconds from submission to outcome: tiny clips to two-hour films. */
    private static final double[] DURATION_BUCKETS = {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400};
    /** Media seconds encoded per wall second. */
    private static final double[] SPEED_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32};

    private TranscoderMetrics() {
    }

    /** The registry camel-micrometer and the management endpoint use (bound as {@code metricsRegistry}). */
    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(buckets("transcoder.job.duration", DURATION_BUCKETS))
                .meterFilter(buckets("transcoder.encode.speed", SPEED_BUCKETS));
        return registry;
    }

    /**
     * The route counters whose tag values are a known set, at zero from the start, so that a fresh service's
     * dashboard shows 0 and not "No data", and {@code rate()} sees the first event. They carry the tags the routes'
     * {@code micrometer:} endpoints give (which add {@code camelContext}), so that both meet on one meter; they are
     * registered when the context starts, once camel-main has given it its name.
     */
    public static void bindKnownCounters(CamelContext context, MeterRegistry registry, PresetCatalog presets)
            throws Exception {
        List<String> presetNames = Stream.concat(presets.all().stream().map(Preset::name),
                Stream.of(TranscodeOptions.CUSTOM)).toList();
        context.addStartupListener((started, alreadyStarted) -> bindKnownCounters(registry, started.getName(),
                presetNames));
    }

    static void bindKnownCounters(MeterRegistry registry, String camelContext, Collection<String> presets) {
        for (String source : List.of("api", "inbox", "retry")) {
            counter(registry, "transcoder.jobs.submitted", "Jobs queued, by where they came from", camelContext,
                    "source", source);
        }
        for (JobStatus outcome : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)) {
            for (String preset : presets) {
                counter(registry, "transcoder.jobs.finished", "Jobs that reached an outcome", camelContext,
                        "outcome", outcome.value(), "preset", preset);
            }
        }
        for (String reason : JobFailure.CATEGORIES) {
            counter(registry, "transcoder.jobs.failed", "Failed jobs, by cause", camelContext, "reason", reason);
        }
        for (String kind : List.of("segment", "audio", "join")) {
            counter(registry, "transcoder.segments", "Parts of split jobs run by this worker, whatever their end",
                    camelContext, "kind", kind);
        }
        counter(registry, "transcoder.bytes.in", "Bytes received", camelContext);
        counter(registry, "transcoder.bytes.out", "Bytes produced", camelContext);
    }

    private static void counter(MeterRegistry registry, String name, String description, String camelContext,
            String... tags) {
        Counter.builder(name).description(description).tag(MicrometerConstants.CAMEL_CONTEXT_TAG, camelContext)
                .tags(tags).register(registry);
    }

    private static MeterFilter buckets(String prefix, double[] buckets) {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().startsWith(prefix)) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
            }
        };
    }

    /**
     * A queue as the workers' group counts it (XINFO GROUPS): lag (entries not yet delivered, the number KEDA's
     * redis-streams scaler reads in lag mode), pending (delivered, not yet acknowledged) and depth, their sum. Not
     * XLEN: the stream keeps acknowledged entries until housekeeping trims them.
     *
     * @param name {@code transcoder.queue} for the jobs', {@code transcoder.parts.queue} for the parts of split jobs'
     * @param what what its entries are, for the descriptions
     */
    public static void bindQueue(MeterRegistry registry, RedisReadings readings, UnifiedJedis redis, String stream,
            String group, String name, String what) {
        GroupBacklog workers = new GroupBacklog(redis, stream, group);
        Supplier<StreamGroupInfo> info = readings.of(workers::info);
        gauge(registry, name + ".lag", what + " on the queue not yet delivered to a worker", () -> lag(info.get()));
        gauge(registry, name + ".depth", what + " on the queue not yet finished", () -> {
            StreamGroupInfo now = info.get();
            return now == null ? null : lag(now) + now.getPending();
        });
        gauge(registry, name + ".pending", what + " delivered to a worker and not yet finished", () -> {
            StreamGroupInfo now = info.get();
            return now == null ? null : now.getPending();
        });
    }

    /** NaN when Redis cannot count it (nil, once an entry the group had not reached was deleted) or no group exists. */
    static double lag(StreamGroupInfo info) {
        return info != null && info.getGroupInfo().get("lag") instanceof Long lag ? lag : Double.NaN;
    }

    /** Jobs recorded and the memory Redis uses, which together tell what a job costs in Redis. */
    public static void bindStore(MeterRegistry registry, RedisReadings readings, UnifiedJedis redis, JobStore store) {
        gauge(registry, "transcoder.jobs.recorded", "Jobs recorded, whatever their status", readings.of(store::count));
        Supplier<String> memory = readings.of(() -> redis.info("memory"));
        gauge(registry, "transcoder.redis.memory.used.bytes", "Memory Redis uses (used_memory)", () -> {
            String info = memory.get();
            return info == null ? null : usedMemory(info);
        });
    }

    static double usedMemory(String info) {
        return info.lines().filter(line -> line.startsWith("used_memory:"))
                .mapToDouble(line -> Double.parseDouble(line.substring("used_memory:".length()).trim()))
                .findFirst().orElse(Double.NaN);
    }

    /**
     * A worker busy on a part of a split job runs no job of its own: its parts have a gauge beside the jobs', so that
     * their sum is how busy it is.
     */
    public static void bindRunning(MeterRegistry registry, AtomicInteger jobs, AtomicInteger parts) {
        Gauge.builder("transcoder.jobs.running", jobs, AtomicInteger::get)
                .description("Jobs this process is running").register(registry);
        Gauge.builder("transcoder.parts.running", parts, AtomicInteger::get)
                .description("Parts of split jobs (segments, audio, joins) this process is running").register(registry);
    }

    /** A gauge of a value read beforehand ({@link RedisReadings}): NaN while it is unknown (null). */
    private static void gauge(MeterRegistry registry, String name, String description,
            Supplier<? extends Number> value) {
        Gauge.builder(name, () -> {
            Number now = value.get();
            return now == null ? Double.NaN : now;
        }).description(description).register(registry);
    }
}
