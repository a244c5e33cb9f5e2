package io.videotranscoder.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.videotranscoder.job.JobStore;
import redis.clients.jedis.UnifiedJedis;

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

    /** Queue depth (entries not yet finished) and pending (delivered, not yet acknowledged), from the stream. */
    public static void bindQueue(MeterRegistry registry, UnifiedJedis redis, String stream, String group) {
        gauge(registry, "transcoder.queue.depth", "Jobs on the queue not yet finished", () -> redis.xlen(stream));
        gauge(registry, "transcoder.queue.pending", "Jobs delivered to a worker and not yet finished",
                () -> redis.xpending(stream, group).getTotal());
    }

    /** Jobs recorded and the memory Redis uses, which together tell what a job costs in Redis. */
    public static void bindStore(MeterRegistry registry, UnifiedJedis redis, JobStore store) {
        gauge(registry, "transcoder.jobs.recorded", "Jobs recorded, whatever their status", store::count);
        gauge(registry, "transcoder.redis.memory.used.bytes", "Memory Redis uses (used_memory)",
                () -> usedMemory(redis.info("memory")));
    }

    static double usedMemory(String info) {
        return info.lines().filter(line -> line.startsWith("used_memory:"))
                .mapToDouble(line -> Double.parseDouble(line.substring("used_memory:".length()).trim()))
                .findFirst().orElse(Double.NaN);
    }

    public static void bindRunning(MeterRegistry registry, AtomicInteger running) {
        Gauge.builder("transcoder.jobs.running", running, AtomicInteger::get)
                .description("Jobs this process is running").register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Supplier<Number> value) {
        Gauge.builder(name, () -> {
            try {
                return value.get();
            } catch (RuntimeException redisDown) {
                return Double.NaN; // no group yet, or Redis unreachable: unknown, not zero
            }
        }).description(description).register(registry);
    }
}
