package io.videotranscoder.webhook;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.videotranscoder.metrics.RedisReadings;
import org.apache.camel.component.micrometer.MicrometerConstants;

/**
 * The webhooks' meters: attempts by outcome (each at zero from the start), how long receivers took to answer, and the
 * deliveries pending and dead-lettered, read from Redis at each scrape. Tags never name a job or an endpoint.
 */
public class WebhookMeters {

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)};

    private final MeterRegistry registry;
    private final Tags context;

    /** @param readings where the gauges' counts of deliveries are read from Redis, never while a scrape waits */
    public WebhookMeters(MeterRegistry registry, String camelContext, DeliveryStore store, RedisReadings readings) {
        this.registry = registry;
        this.context = Tags.of(MicrometerConstants.CAMEL_CONTEXT_TAG, camelContext);
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            counter(outcome);
        }
        for (Deferral deferral : Deferral.values()) {
            counter(deferral);
        }
        gauge("transcoder.webhook.deliveries.pending", "Webhook deliveries not yet ended", readings.of(store::pending));
        gauge("transcoder.webhook.deliveries.dead", "Webhook deliveries dead-lettered (within the retention)",
                readings.of(store::dead));
    }

    /** One attempt (or one delivery given up without one) and, if a request was made, how long it took. */
    public void attempted(DeliveryOutcome outcome, Duration latency) {
        counter(outcome).increment();
        if (latency != null) {
            Timer.builder("transcoder.webhook.delivery.latency").description("How long a receiver took to answer")
                    .tags(context).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(latency);
        }
    }

    /** Why an attempt this service could not make was put off ({@link Judge#notMade}). */
    public enum Deferral {
        /** Its name lookups were all busy. */
        LOOKUPS_BUSY("lookups-busy"),
        /** Its turns to a host that was slow lately were all taken ({@link HostTurns}). */
        HOST_SLOW("host-slow");

        private final String value;

        Deferral(String value) {
            this.value = value;
        }
    }

    /** An attempt put off without being counted: a receiver that hangs shows here, however long it lasts. */
    public void deferred(Deferral deferral) {
        counter(deferral).increment();
    }

    private Counter counter(Deferral deferral) {
        return Counter.builder("transcoder.webhook.attempts.deferred")
                .description("Webhook attempts put off, not made, by reason").tags(context.and("reason",
                        deferral.value)).register(registry);
    }

    private Counter counter(DeliveryOutcome outcome) {
        return Counter.builder("transcoder.webhook.deliveries").description("Webhook attempts by outcome")
                .tags(context.and("outcome", outcome.value())).register(registry);
    }

    /** NaN while the value is unknown (null): not read yet, or Redis did not answer. */
    private void gauge(String name, String description, Supplier<? extends Number> value) {
        Gauge.builder(name, () -> {
            Number now = value.get();
            return now == null ? Double.NaN : now;
        }).tags(context).description(description).register(registry);
    }
}
