package io.videotranscoder.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;

/**
 * Refused requests in Prometheus: {@code transcoder_auth_failures_total{reason}} (one of {@link Denial}'s tags) and
 * {@code transcoder_quota_refusals_total}, which the create routes count. Both at zero from the start, tagged with the
 * {@code camelContext} that the routes' {@code micrometer:} endpoints add, so that all meet on one series. Never a key,
 * a key id or a tenant in a tag.
 */
public class AccessMeters implements StartupListener {

    static final String FAILURES = "transcoder.auth.failures";
    static final String QUOTA_REFUSALS = "transcoder.quota.refusals";

    private volatile MeterRegistry registry;
    private volatile String camelContext = "";

    /** The registry is the one bound when the context starts (Main binds it before; MetricsConfiguration else). */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        camelContext = context.getName();
        for (Denial denial : Denial.values()) {
            failures(denial);
        }
        Counter.builder(QUOTA_REFUSALS).description("Submissions refused for the key's quota of active jobs")
                .tag(MicrometerConstants.CAMEL_CONTEXT_TAG, camelContext).register(registry);
    }

    public void denied(Denial denial) {
        failures(denial).increment();
    }

    private Counter failures(Denial denial) {
        return Counter.builder(FAILURES).description("Requests refused before the API, by reason")
                .tag(MicrometerConstants.CAMEL_CONTEXT_TAG, camelContext).tag("reason", denial.tag())
                .register(registry);
    }
}
