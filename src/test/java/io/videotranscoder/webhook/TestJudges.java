package io.videotranscoder.webhook;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.videotranscoder.metrics.RedisReadings;

/**
 * A judge of failed deliveries as the service builds one, on a test's Redis: a retry a second away, a day's horizon.
 */
final class TestJudges {

    private TestJudges() {
    }

    static Judge judge(DeliveryStore store, Endpoints endpoints) {
        return judge(store, endpoints, new SimpleMeterRegistry());
    }

    /** @param registry where its meters go, for a test that reads them */
    static Judge judge(DeliveryStore store, Endpoints endpoints, MeterRegistry registry) {
        return new Judge(store, endpoints, new RetrySchedule(1, () -> 0.5), new WebhookMeters(registry, "test", store,
                new RedisReadings(Duration.ofMinutes(1))),
                Duration.ofDays(1), Clock.systemUTC());
    }
}
