package io.videotranscoder.webhook;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.videotranscoder.redis.ScriptArgs;
import io.videotranscoder.refusal.Refusal;
import redis.clients.jedis.UnifiedJedis;

/**
 * Registered endpoints in Redis: a hash each, and a set of ids per tenant. Every change checks, in the same script,
 * that the endpoint belongs to the tenant asking: another tenant's endpoint is not found.
 */
public class Endpoints {

    /** ARGV[1]: the new id; ARGV[2]: how many the tenant may have; the rest, its fields. */
    private static final String CREATE = """
            if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1""";
    /**
     * Endpoints a tenant may have: each event of its jobs is a delivery to every one of them, so an admin key could
     * otherwise make one job's events thousands of requests.
     */
    public static final int MOST_PER_TENANT = 50;

    /** ARGV[1]: the tenant that must own it; the rest, fields to set. */
    private static final String UPDATE = """
            if redis.call('HGET', KEYS[1], 'tenant') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            return 1""";

    /**
     * The secret joins the previous ones, signed with until ARGV[3]; ARGV[2] is the new one. Previous ones whose time
     * has not passed (ARGV[4], now) stay, newest first, at most five in all: a receiver that still has the first
     * secret (the admin lost a rotation's answer and rotated again) is not cut off before its time.
     */
    private static final String ROTATE = """
            if redis.call('HGET', KEYS[1], 'tenant') ~= ARGV[1] then return 0 end
            local now = tonumber(ARGV[4])
            local kept = {redis.call('HGET', KEYS[1], 'secret') .. '@' .. ARGV[3]}
            local earlier = redis.call('HGET', KEYS[1], 'previousSecrets') or ''
            local legacy = redis.call('HGET', KEYS[1], 'previousSecret')
            if legacy and legacy ~= '' then
              earlier = earlier .. ' ' .. legacy .. '@' .. (redis.call('HGET', KEYS[1], 'previousUntil') or '0')
            end
            for entry in string.gmatch(earlier, '%S+') do
              local untilMs = tonumber(string.match(entry, '@(%d+)$'))
              if untilMs and untilMs > now and #kept < 5 then table.insert(kept, entry) end
            end
            redis.call('HDEL', KEYS[1], 'previousSecret', 'previousUntil')
            redis.call('HSET', KEYS[1], 'secret', ARGV[2], 'previousSecrets', table.concat(kept, ' '))
            return 1""";

    private static final String DELETE = """
            if redis.call('HGET', KEYS[1], 'tenant') ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], ARGV[2])
            return 1""";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UnifiedJedis redis;
    private final String prefix;

    /** @param prefix key prefix, e.g. {@code transcoder:} */
    public Endpoints(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    private String key(String id) {
        return prefix + "webhook:endpoint:" + id;
    }

    private String tenantKey(String tenant) {
        return prefix + "webhook:endpoints:" + tenant;
    }

    /** A new enabled endpoint, with a fresh secret (the only time it is shown is the answer to this). */
    public Endpoint register(String tenant, String url, Set<EventType> events, Instant now) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String id = "ep_" + HexFormat.of().formatHex(random);
        Endpoint endpoint = new Endpoint(id, tenant, url, events, true, null, now, Secrets.generate(), List.of());
        Object made = redis.eval(CREATE, List.of(key(id), tenantKey(tenant)),
                ScriptArgs.of(EndpointHash.toHash(endpoint), id, Integer.toString(MOST_PER_TENANT)));
        if (!Long.valueOf(1).equals(made)) {
            throw Refusal.wrongState("This tenant has " + MOST_PER_TENANT + " webhook endpoints, as many as it may:"
                    + " delete one (DELETE /admin/webhooks/{id}) before registering another.");
        }
        return endpoint;
    }

    /** The tenant's endpoints, oldest first. */
    public List<Endpoint> list(String tenant) {
        return redis.smembers(tenantKey(tenant)).stream().map(this::find).flatMap(Optional::stream)
                .filter(e -> e.tenant().equals(tenant)).sorted(Comparator.comparing(Endpoint::createdAt)).toList();
    }

    /** The tenant's endpoints that are sent {@code type}. */
    public List<Endpoint> subscribed(String tenant, EventType type) {
        return list(tenant).stream().filter(e -> e.wants(type)).toList();
    }

    public Optional<Endpoint> find(String id) {
        Map<String, String> hash = redis.hgetAll(key(id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(EndpointHash.fromHash(hash));
    }

    /** The tenant's endpoint {@code id}; a refusal (not found) when it has none of that id. */
    public Endpoint get(String tenant, String id) {
        return find(id).filter(e -> e.tenant().equals(tenant)).orElseThrow(() -> notFound(id));
    }

    /** A new secret; the old one still signs, beside it, for {@code grace}, as do earlier ones within theirs. */
    public Endpoint rotate(String tenant, String id, Instant now, Duration grace) {
        String until = Long.toString(now.plus(grace).toEpochMilli());
        owned(id, redis.eval(ROTATE, List.of(key(id)), List.of(tenant, Secrets.generate(), until,
                Long.toString(now.toEpochMilli()))));
        return get(tenant, id);
    }

    public Endpoint disable(String tenant, String id, String reason) {
        owned(id, redis.eval(UPDATE, List.of(key(id)), List.of(tenant, "state", "disabled", "disabledReason", reason)));
        return get(tenant, id);
    }

    public Endpoint enable(String tenant, String id) {
        owned(id, redis.eval(UPDATE, List.of(key(id)), List.of(tenant, "state", "enabled", "disabledReason", "")));
        return get(tenant, id);
    }

    /** The receiver said the endpoint is gone for good (410): nothing more is sent to it until an admin enables it. */
    public void disableGone(Endpoint endpoint, String reason) {
        redis.eval(UPDATE, List.of(key(endpoint.id())), List.of(endpoint.tenant(), "state", "disabled",
                "disabledReason", reason));
    }

    public void delete(String tenant, String id) {
        owned(id, redis.eval(DELETE, List.of(key(id), tenantKey(tenant)), List.of(tenant, id)));
    }

    /** The event types {@code names} stand for; all but progress when there are none. */
    public static Set<EventType> events(List<String> names) {
        if (names == null || names.isEmpty()) {
            return EventType.lifecycle();
        }
        Set<EventType> events = EnumSet.noneOf(EventType.class);
        for (String name : names) {
            events.add(EventType.of(name).orElseThrow(() -> Refusal.invalidField("events", "events must be among "
                    + Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.joining(", "))
                    + ", not '" + name + "'.")));
        }
        return events;
    }

    private static void owned(String id, Object answer) {
        if (!Objects.equals(answer, 1L)) {
            throw notFound(id);
        }
    }

    private static Refusal notFound(String id) {
        String shown = id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id;
        return Refusal.notFound("There is no webhook endpoint with id '" + shown + "'.");
    }
}
