package io.videotranscoder.access;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TRANSCODER_BOOTSTRAP_ADMIN_KEY}: an admin key of the default tenant that an operator chose (a compose or
 * Kubernetes secret), stored at start unless it is there already. A key stored once and revoked since stays revoked.
 * Where Redis is not up yet (a cluster's first start: the API before its Redis), it is tried again until it is stored:
 * stored only at the next start, every client of a protected service was refused until someone restarted it.
 */
public class BootstrapKey implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapKey.class);
    static final String NAME = "bootstrap";

    private final KeyStore keys;
    private final String key;
    private final Clock clock;
    private final Duration retry;

    /**
     * @param key blank: none
     * @throws IllegalArgumentException for a value that is not a key of this service (never quoted)
     */
    public BootstrapKey(KeyStore keys, String key, Clock clock, Duration retry) {
        if (!key.isBlank() && !ApiKey.wellFormed(key)) {
            throw new IllegalArgumentException("TRANSCODER_BOOTSTRAP_ADMIN_KEY is not an API key of this service: make"
                                               + " one with `java -jar video-transcoder.jar keys generate`.");
        }
        this.keys = keys;
        this.key = key;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (key.isBlank() || stored(true)) {
            return;
        }
        ScheduledExecutorService tries = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "bootstrap-admin-key");
        tries.scheduleWithFixedDelay(() -> {
            if (stored(false)) {
                tries.shutdown();
            }
        }, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stores the key unless it is there already; false while Redis cannot be reached, said once. */
    private boolean stored(boolean first) {
        try {
            keys.store(key, NAME, EnumSet.of(Scope.ADMIN), Caller.DEFAULT_TENANT, null, clock.instant())
                    .ifPresent(stored -> LOG.info("Bootstrap admin key stored"));
            return true;
        } catch (RuntimeException e) { // Redis not up yet, or away
            if (first) {
                LOG.warn("The bootstrap admin key could not be stored yet ({}): trying again every {} s until it is",
                        e.getMessage(), retry.toSeconds());
            }
            return false;
        }
    }
}
