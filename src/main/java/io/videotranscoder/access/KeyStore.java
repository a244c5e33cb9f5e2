package io.videotranscoder.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * API keys in Redis: a hash per key ({@code <prefix>apikey:<id>}) holding the SHA-256 of the key, never the key, with
 * its name, scopes, tenant and times; and an index of ids by creation time ({@code <prefix>apikeys}). A revoked key
 * keeps its record, so that it is told apart from one never issued.
 */
public class KeyStore {

    /** Stores a key unless its id is taken (the bootstrap key at every start: stored once, never revived). */
    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
            return 1""";

    private static final String REVOKE = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSETNX', KEYS[1], 'revokedAt', ARGV[1])
            return 1""";

    /** Last use is written at most this often per key: a read per request, a write per key a minute. */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    private final UnifiedJedis redis;
    private final String prefix;

    public KeyStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** A new key and its record; the key itself is in the answer only. */
    public record Issued(String key, KeyRecord record) {
    }

    public Issued issue(String name, Set<Scope> scopes, String tenant, Instant expiresAt, Instant now) {
        String key = ApiKey.generate();
        return new Issued(key, store(key, name, scopes, tenant, expiresAt, now)
                .orElseThrow(() -> new IllegalStateException("A new key's id is taken: 64 random bits met twice")));
    }

    /**
     * Stores {@code key} unless a key with its id exists.
     *
     * @return the record stored, or empty when the key was there already
     */
    public Optional<KeyRecord> store(String key, String name, Set<Scope> scopes, String tenant, Instant expiresAt,
            Instant now) {
        if (!ApiKey.wellFormed(key)) {
            throw new IllegalArgumentException("Not an API key of this service (vt_..._...): was it copied whole?");
        }
        String digest = ApiKey.digest(key);
        KeyRecord record = new KeyRecord(ApiKey.id(digest), name, scopes, Tenants.require(tenant), now, null, expiresAt,
                null);
        List<String> args = new ArrayList<>(List.of(record.id(), Long.toString(now.toEpochMilli())));
        KeyFields.toHash(record, digest).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Object stored = redis.eval(CREATE, List.of(recordKey(record.id()), index()), args);
        return Long.valueOf(1).equals(stored) ? Optional.of(record) : Optional.empty();
    }

    /** What {@code presented} stands for at {@code now}; a valid key's last use is recorded. */
    public KeyCheck check(String presented, Instant now) {
        if (!ApiKey.wellFormed(presented)) {
            return KeyCheck.denied(Denial.MALFORMED);
        }
        String digest = ApiKey.digest(presented);
        String id = ApiKey.id(digest);
        Map<String, String> hash = redis.hgetAll(recordKey(id));
        // The id is a prefix of the digest: the whole digest must match, compared in constant time.
        if (hash.isEmpty() || !MessageDigest.isEqual(bytes(hash.get("digest")), bytes(digest))) {
            return KeyCheck.denied(Denial.UNKNOWN);
        }
        KeyRecord record = KeyFields.fromHash(id, hash);
        KeyCheck check = standing(record, now);
        if (check.passed()
            && (record.lastUsedAt() == null || record.lastUsedAt().plus(LAST_USED_PRECISION).isBefore(now))) {
            redis.hset(recordKey(id), "lastUsedAt", now.toString());
        }
        return check;
    }

    /**
     * Whether the key {@code id} still stands at {@code now} (one read): for what was granted in its name, e.g. an event
     * token, which holds the key's id and not the key.
     */
    public KeyCheck standing(String id, Instant now) {
        return standing(List.of(id), now).get(id);
    }

    /** As {@link #standing(String, Instant)} for each of {@code ids}, in one round trip. */
    public Map<String, KeyCheck> standing(Collection<String> ids, Instant now) {
        Map<String, KeyCheck> checks = new LinkedHashMap<>();
        records(List.copyOf(ids)).forEach((id, record) -> checks.put(id,
                record == null ? KeyCheck.denied(Denial.UNKNOWN) : standing(record, now)));
        return checks;
    }

    private static KeyCheck standing(KeyRecord record, Instant now) {
        if (record.revokedAt() != null) {
            return KeyCheck.denied(Denial.REVOKED);
        }
        if (record.expiresAt() != null && !now.isBefore(record.expiresAt())) {
            return KeyCheck.denied(Denial.EXPIRED);
        }
        return KeyCheck.valid(record.caller());
    }

    /** Every key, newest first, revoked ones included. */
    public List<KeyRecord> list() {
        return records(redis.zrevrange(index(), 0, -1)).values().stream().filter(Objects::nonNull).toList();
    }

    /** The records of {@code ids}, in their order, read in one pipeline: null for an id with none. */
    private Map<String, KeyRecord> records(List<String> ids) {
        List<Response<Map<String, String>>> answers = new ArrayList<>(ids.size());
        try (var pipeline = redis.pipelined()) {
            for (String id : ids) {
                answers.add(pipeline.hgetAll(recordKey(id)));
            }
            pipeline.sync();
        }
        Map<String, KeyRecord> records = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> hash = answers.get(i).get();
            records.put(ids.get(i), hash.isEmpty() ? null : KeyFields.fromHash(ids.get(i), hash));
        }
        return records;
    }

    public Optional<KeyRecord> find(String id) {
        if (!ApiKey.validId(id)) {
            return Optional.empty();
        }
        Map<String, String> hash = redis.hgetAll(recordKey(id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(KeyFields.fromHash(id, hash));
    }

    /**
     * Revokes the key: from now on it is refused. Revoking it again changes nothing.
     *
     * @return whether there is such a key
     */
    public boolean revoke(String id, Instant now) {
        if (!ApiKey.validId(id)) {
            return false;
        }
        return Long.valueOf(1).equals(redis.eval(REVOKE, List.of(recordKey(id)), List.of(now.toString())));
    }

    /** Whether any key was ever issued (revoked ones count): until then the API is in protected mode. */
    public boolean anyIssued() {
        return redis.exists(index());
    }

    private String recordKey(String id) {
        return prefix + "apikey:" + id;
    }

    private String index() {
        return prefix + "apikeys";
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.US_ASCII);
    }
}
