package io.videotranscoder.access;

import java.time.Clock;
import java.util.EnumSet;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TRANSCODER_BOOTSTRAP_ADMIN_KEY}: an admin key of the default tenant that an operator chose (a compose or
 * Kubernetes secret), stored at start unless it is there already. A key stored once and revoked since stays revoked.
 */
public class BootstrapKey implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapKey.class);
    static final String NAME = "bootstrap";

    private final KeyStore keys;
    private final String key;
    private final Clock clock;

    /**
     * @param key blank: none
     * @throws IllegalArgumentException for a value that is not a key of this service (never quoted)
     */
    public BootstrapKey(KeyStore keys, String key, Clock clock) {
        if (!key.isBlank() && !ApiKey.wellFormed(key)) {
            throw new IllegalArgumentException("TRANSCODER_BOOTSTRAP_ADMIN_KEY is not an API key of this service: make"
                                               + " one with `java -jar video-transcoder.jar keys generate`.");
        }
        this.keys = keys;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (key.isBlank()) {
            return;
        }
        try {
            keys.store(key, NAME, EnumSet.of(Scope.ADMIN), Caller.DEFAULT_TENANT, null, clock.instant())
                    .ifPresent(stored -> LOG.info("Bootstrap admin key stored"));
        } catch (RuntimeException e) {
            // Redis may be down at boot (the service waits for it); the next start stores the key.
            LOG.warn("The bootstrap admin key could not be stored: {}", e.getMessage());
        }
    }
}
