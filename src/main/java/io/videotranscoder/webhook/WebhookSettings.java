package io.videotranscoder.webhook;

import java.time.Duration;

import org.apache.camel.spi.PropertiesComponent;

/**
 * The {@code transcoder.webhook-*} settings (routes read theirs as placeholders).
 *
 * @param operatorKey  the key of TRANSCODER_WEBHOOK_SECRET, which signs jobs' own callbacks; null when unset
 * @param allowlist    hosts and address blocks that may be called although internal
 * @param timeout      how long a receiver has to accept the connection, and then to answer
 * @param retention    how long ended deliveries stay readable: the jobs' retention
 * @param inboxCallback the callback URL of inbox jobs; null for none
 */
public record WebhookSettings(String keyPrefix, byte[] operatorKey, String allowlist, Duration timeout,
        double retryScale,
        Duration rotationGrace, Duration retention, String publicUrl, String inboxCallback) {

    public static WebhookSettings from(PropertiesComponent properties) {
        String secret = optional(properties, "transcoder.webhook-secret");
        byte[] key = null;
        if (secret != null) {
            try {
                key = Secrets.key(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("TRANSCODER_WEBHOOK_SECRET: " + e.getMessage());
            }
        }
        return new WebhookSettings(optional(properties, "transcoder.key-prefix"), key,
                optional(properties, "transcoder.webhook-allowlist"),
                Duration.ofMillis(Long.parseLong(optional(properties, "transcoder.webhook-timeout-ms"))),
                Double.parseDouble(optional(properties, "transcoder.webhook-retry-scale")),
                hours(optional(properties, "transcoder.webhook-rotation-grace-hours")),
                hours(optional(properties, "transcoder.retention-hours")),
                optional(properties, "transcoder.public-url"),
                optional(properties, "transcoder.inbox-callback-url"));
    }

    private static Duration hours(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 3_600_000));
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank()).orElse(null);
    }
}
