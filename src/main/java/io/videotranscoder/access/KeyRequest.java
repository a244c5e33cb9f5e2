package io.videotranscoder.access;

import java.time.Instant;
import java.util.Set;

import io.videotranscoder.refusal.Refusal;

/** What a new key is to be: checked the same way whether it is asked for over HTTP or on the command line. */
public record KeyRequest(String name, Set<Scope> scopes, String tenant, Instant expiresAt) {

    private static final int MAX_NAME_LENGTH = 100;

    /**
     * @param scopes    e.g. {@code jobs:read,jobs:write}
     * @param tenant    null: the default tenant
     * @param expiresAt null: never
     * @throws Refusal naming the field that is wrong
     */
    public static KeyRequest of(String name, String scopes, String tenant, Instant expiresAt, Instant now) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
            || name.codePoints().anyMatch(Character::isISOControl)) {
            throw Refusal.invalidField("name", "name must be 1 to " + MAX_NAME_LENGTH
                                               + " characters, without control characters.");
        }
        Set<Scope> parsed;
        try {
            parsed = Scope.parse(scopes);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalidField("scopes", e.getMessage());
        }
        String chosen = tenant == null ? Caller.DEFAULT_TENANT : tenant;
        try {
            Tenants.require(chosen);
        } catch (IllegalArgumentException e) {
            throw Refusal.invalidField("tenant", e.getMessage());
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw Refusal.invalidField("expiresAt", "expiresAt must lie in the future.");
        }
        return new KeyRequest(name.strip(), parsed, chosen, expiresAt);
    }

    public KeyStore.Issued issueIn(KeyStore keys, Instant now) {
        return keys.issue(name, scopes, tenant, expiresAt, now);
    }
}
