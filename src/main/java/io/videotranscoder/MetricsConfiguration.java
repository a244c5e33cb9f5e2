package io.videotranscoder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.JobWorker;
import io.videotranscoder.job.SegmentWorker;
import io.videotranscoder.metrics.OutcomeMeters;
import io.videotranscoder.metrics.RedisReadings;
import io.videotranscoder.metrics.TranscoderMetrics;
import io.videotranscoder.preset.PresetCatalog;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import redis.clients.jedis.JedisPooled;

/** The service's own meters, on the one registry that Camel's route metrics use too. */
public class MetricsConfiguration implements CamelConfiguration {

    @BeanInject
    private JedisPooled redis;

    @BeanInject
    private JobStore store;

    @BeanInject
    private JobWorker worker;

    @BeanInject
    private SegmentWorker segments;

    @BeanInject
    private PresetCatalog presets;

    @PropertyInject("transcoder.key-prefix")
    private String keyPrefix;

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): each runs once. */
    private RedisReadings readings;

    @BindToRegistry
    public OutcomeMeters outcomeMeters(CamelContext context) {
        return new OutcomeMeters(meters(context));
    }

    /**
     * What the gauges show of Redis, read every {@code transcoder.metrics-refresh} on a thread of its own, never while
     * a scrape waits ({@link RedisReadings}).
     */
    @BindToRegistry
    public RedisReadings redisReadings(CamelContext context,
            @PropertyInject("transcoder.metrics-refresh") Duration period) {
        if (readings == null) {
            readings = new RedisReadings(period);
            context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "redis-readings")
                    .scheduleWithFixedDelay(readings::refresh, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }
        return readings;
    }

    /** The gauges read the worker when scraped, Redis beforehand; the counters start at zero for every known tag. */
    @Override
    public void configure(CamelContext context) throws Exception {
        MeterRegistry meters = meters(context);
        RedisReadings redisReadings = context.getRegistry().lookupByNameAndType("redisReadings", RedisReadings.class);
        TranscoderMetrics.bindQueue(meters, redisReadings, redis, keyPrefix + "jobs", "workers", "transcoder.queue",
                "Jobs");
        // What KEDA scales the workers on counts the parts of split jobs too.
        TranscoderMetrics.bindQueue(meters, redisReadings, redis, keyPrefix + "parts", "workers",
                "transcoder.parts.queue", "Parts of split jobs");
        TranscoderMetrics.bindRunning(meters, worker.running(), segments.running());
        TranscoderMetrics.bindStore(meters, redisReadings, redis, store);
        TranscoderMetrics.bindKnownCounters(context, meters, presets);
    }

    /** Main binds the registry before the management server starts; a test's context may not have. */
    private static MeterRegistry meters(CamelContext context) {
        MeterRegistry meters = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (meters == null) {
            meters = TranscoderMetrics.registry();
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        return meters;
    }
}
