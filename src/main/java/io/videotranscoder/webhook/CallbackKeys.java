package io.videotranscoder.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.videotranscoder.refusal.Refusal;

/**
 * The keys jobs' own callbacks are signed with. The default tenant's (the operator's own) are signed with
 * TRANSCODER_WEBHOOK_SECRET; each other tenant's with a key of its own, the HMAC-SHA256 of its name under that secret,
 * so that a tenant's receivers, given its key, can neither verify nor forge another tenant's callbacks (one key for
 * all let any tenant sign events for any other's receiver, or have the service send them there). The operator's
 * secret derives every tenant's: it is the operator's alone.
 */
public final class CallbackKeys {

    private static final String LABEL = "video-transcoder callback key for tenant ";

    private final byte[] operatorKey;

    /** @param operatorKey the key of TRANSCODER_WEBHOOK_SECRET; null when it is not set */
    public CallbackKeys(byte[] operatorKey) {
        this.operatorKey = operatorKey == null ? null : operatorKey.clone();
    }

    /** Whether callbacks can be signed at all. */
    public boolean set() {
        return operatorKey != null;
    }

    /** The key the callbacks of {@code tenant}'s jobs are signed with. */
    public byte[] of(String tenant) {
        if (operatorKey == null) {
            throw new IllegalStateException("TRANSCODER_WEBHOOK_SECRET is not set");
        }
        if (JobEvent.DEFAULT_TENANT.equals(tenant)) {
            return operatorKey.clone();
        }
        return Signer.hmac(operatorKey, (LABEL + tenant).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The secret a receiver of {@code tenant}'s callbacks verifies them with ({@code whsec_...}), as the API serves
     * it: never the default tenant's, which is the operator's own secret and derives every other tenant's.
     *
     * @throws Refusal (wrong state) for the default tenant, or when the server has no TRANSCODER_WEBHOOK_SECRET
     */
    public String secret(String tenant) {
        if (operatorKey == null) {
            throw Refusal.wrongState("Callbacks are not taken here: they are signed with the server's"
                    + " TRANSCODER_WEBHOOK_SECRET, and this server has none set.");
        }
        if (JobEvent.DEFAULT_TENANT.equals(tenant)) {
            throw Refusal.wrongState("The default tenant's callbacks are signed with the server's"
                    + " TRANSCODER_WEBHOOK_SECRET itself, which the operator gives its receivers: it is not served.");
        }
        return Secrets.PREFIX + Base64.getEncoder().encodeToString(of(tenant));
    }
}
