package io.videotranscoder.access;

import java.time.Instant;
import java.util.Set;

/** What is stored of a key, its secret excepted: name, scopes, tenant and times ({@code null} where none). */
public record KeyRecord(String id, String name, Set<Scope> scopes, String tenant, Instant createdAt,
        Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {

    public KeyRecord {
        scopes = Set.copyOf(scopes);
    }

    public Caller caller() {
        return new Caller(id, tenant, scopes);
    }
}
