package io.videotranscoder.access;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A key's record as the fields of its Redis hash ({@link KeyStore}), and back. */
final class KeyFields {

    private KeyFields() {
    }

    static Map<String, String> toHash(KeyRecord record, String digest) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("digest", digest);
        hash.put("name", record.name());
        hash.put("scopes", Scope.join(record.scopes()));
        hash.put("tenant", record.tenant());
        hash.put("createdAt", record.createdAt().toString());
        if (record.expiresAt() != null) {
            hash.put("expiresAt", record.expiresAt().toString());
        }
        return hash;
    }

    static KeyRecord fromHash(String id, Map<String, String> hash) {
        return new KeyRecord(id, hash.get("name"), Scope.parse(hash.get("scopes")), hash.get("tenant"),
                instant(hash.get("createdAt")), instant(hash.get("lastUsedAt")), instant(hash.get("expiresAt")),
                instant(hash.get("revokedAt")));
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
