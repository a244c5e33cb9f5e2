package io.videotranscoder.webhook;

import java.time.Duration;

import io.videotranscoder.process.StartRefusal;

/**
 * The {@code transcoder.webhook-*} settings and those of others the webhooks use (routes read theirs as placeholders).
 *
 * @param operatorKey   the key of TRANSCODER_WEBHOOK_SECRET, which signs jobs' own callbacks; null when unset
 * @param allowlist     hosts and address blocks that may be called although internal
 * @param timeout       how long an attempt has in all, to connect and for the whole answer
 * @param retention     how long ended deliveries stay readable: the jobs' retention
 * @param publicUrl     where clients reach the API; null for paths only
 * @param inboxCallback the callback URL of inbox jobs; null for none
 */
public record WebhookSettings(String keyPrefix, byte[] operatorKey, String allowlist, Duration timeout,
        double retryScale, Duration rotationGrace, Duration retention, String publicUrl, String inboxCallback) {

    /** The settings as written; a blank text is none, and a malformed secret stops the start, saying why. */
    public static WebhookSettings of(String keyPrefix, String secret, String allowlist, Duration timeout,
            double retryScale, Duration rotationGrace, Duration retention, String publicUrl, String inboxCallback) {
        byte[] key = null;
        if (!blank(secret)) {
            try {
                key = Secrets.key(secret.strip());
            } catch (IllegalArgumentException e) {
                throw new StartRefusal("TRANSCODER_WEBHOOK_SECRET: " + e.getMessage());
            }
        }
        return new WebhookSettings(keyPrefix, key, allowlist, timeout, retryScale, rotationGrace, retention,
                blank(publicUrl) ? null : publicUrl.strip(), blank(inboxCallback) ? null : inboxCallback.strip());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
