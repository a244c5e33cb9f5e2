package io.videotranscoder.access;

import io.videotranscoder.process.StartRefusal;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The access settings: whether keys are checked ({@code TRANSCODER_AUTH}), which addresses protected mode trusts and
 * which host names a request without a key may give, the bootstrap admin key, the inbox's tenant and the quota of active jobs per key (0: none).
 */
public record AccessSettings(AuthMode mode, TrustedAddresses trusted, KeylessHosts keylessHosts, String bootstrapKey,
        String inboxTenant, int maxActiveJobsPerKey, String keyPrefix) {

    public static AccessSettings from(PropertiesComponent properties) {
        int quota = Integer.parseInt(value(properties, "transcoder.max-active-jobs-per-key", "100"));
        if (quota < 0) {
            throw new StartRefusal("TRANSCODER_MAX_ACTIVE_JOBS_PER_KEY must be 0 (no quota) or more");
        }
        return new AccessSettings(AuthMode.of(value(properties, "transcoder.auth", "")),
                trusted(value(properties, "transcoder.trusted-addresses", "")),
                KeylessHosts.parse(value(properties, "transcoder.keyless-hosts", ""),
                        value(properties, "transcoder.public-url", "")),
                value(properties, "transcoder.bootstrap-admin.api-key", ""),
                inboxTenant(value(properties, "transcoder.inbox-tenant", Caller.DEFAULT_TENANT)),
                quota, value(properties, "transcoder.key-prefix", "transcoder:"));
    }

    private static TrustedAddresses trusted(String list) {
        try {
            return TrustedAddresses.parse(list);
        } catch (IllegalArgumentException e) {
            throw new StartRefusal("TRANSCODER_TRUSTED_ADDRESSES must be addresses or blocks (10.0.0.0/8, fd00::/8),"
                                   + " separated by commas, not '" + list + "'");
        }
    }

    private static String inboxTenant(String tenant) {
        try {
            return Tenants.require(tenant);
        } catch (IllegalArgumentException e) {
            throw new StartRefusal("TRANSCODER_INBOX_TENANT: " + e.getMessage());
        }
    }

    private static String value(PropertiesComponent properties, String key, String fallback) {
        return properties.resolveProperty(key).map(String::trim).orElse(fallback);
    }
}
