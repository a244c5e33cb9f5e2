package io.videotranscoder.http.tus;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.redis.ScriptArgs;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Resumable uploads in Redis: a hash per upload that expires with the upload, and a lock that one request holds while
 * it writes the upload's bytes, so that two requests (a client that retried while its first request still ran, on
 * another instance) never write the same file at once.
 */
public class TusStore {

    /**
     * A key's unfinished uploads are a sorted set by expiry, named in each upload's hash ({@code open}) and kept by
     * each move below; the expired ones are dropped as the key makes its next upload, and the set itself expires with
     * the last of them (a key that uploads no more, or was deleted, leaves nothing behind).
     */
    private static final String OPEN = """
            local function expires_with_last(open)
              local last = redis.call('ZRANGE', open, -1, -1, 'WITHSCORES')
              if last[2] then redis.call('PEXPIREAT', open, last[2]) end
            end
            local function unfinished(open, id, expires_at)
              if open and open ~= '' then
                redis.call('ZADD', open, 'XX', expires_at, id)
                expires_with_last(open)
              end
            end
            local function finished(open, id)
              if open and open ~= '' then redis.call('ZREM', open, id) end
            end
            """;
    /** ARGV[2] is the key's set of unfinished uploads, ARGV[3] how many it may hold (0: any), ARGV[4] the time now. */
    private static final String CREATE = OPEN + """
            if ARGV[2] ~= '' then
              redis.call('ZREMRANGEBYSCORE', ARGV[2], '-inf', ARGV[4])
              local most = tonumber(ARGV[3])
              if most > 0 and redis.call('ZCARD', ARGV[2]) >= most then return 0 end
              redis.call('ZADD', ARGV[2], ARGV[1], KEYS[1])
              expires_with_last(ARGV[2])
            end
            redis.call('HSET', KEYS[1], 'open', ARGV[2], unpack(ARGV, 5))
            redis.call('PEXPIREAT', KEYS[1], ARGV[1])
            return 1""";
    /**
     * Moves the offset only for the writer that holds the lock (KEYS[2], ARGV[5] its token), from the offset it began
     * at: a writer that lost its lock changes nothing, even before another wrote (which may have cut the file back).
     */
    private static final String ADVANCE = OPEN + """
            if redis.call('GET', KEYS[2]) ~= ARGV[5] then return 0 end
            if redis.call('HGET', KEYS[1], 'offset') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'offset', ARGV[2], 'expiresAt', ARGV[3])
            redis.call('PEXPIREAT', KEYS[1], ARGV[4])
            unfinished(redis.call('HGET', KEYS[1], 'open'), KEYS[1], ARGV[4])
            return 1""";
    /**
     * Marks the upload with its job only while it exists: a plain HSET would make a terminated or expired upload's
     * hash again, holding the job only and never expiring. HSET on the existing key keeps its expiry.
     */
    private static final String FINISH = OPEN + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'job', ARGV[1])
            finished(redis.call('HGET', KEYS[1], 'open'), KEYS[1])
            return 1""";
    private static final String DELETE = OPEN + """
            finished(redis.call('HGET', KEYS[1], 'open'), KEYS[1])
            return redis.call('DEL', KEYS[1])""";
    /** The holder changes only while the upload exists: an HSET would make a gone upload's hash again. */
    private static final String HOLD = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            return redis.call('HSET', KEYS[1], 'holder', ARGV[1])""";
    /**
     * The lock lives on, and the upload at least as long (its expiry, and its place among its key's unfinished uploads,
     * as an advance moves them): a PATCH still streaming its bytes when the upload's expiry comes (a large file on a
     * slow link) must find the upload there to advance its offset once they are in.
     */
    private static final String RENEW = OPEN + """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            local left = redis.call('PTTL', KEYS[2])
            if left >= 0 and left < tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[2], 'expiresAt', ARGV[3])
              redis.call('PEXPIREAT', KEYS[2], ARGV[4])
              unfinished(redis.call('HGET', KEYS[2], 'open'), KEYS[2], ARGV[4])
            end
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])""";

    /** The fields {@link #create} writes in one script: a hash that lacks one is not an upload. */
    private static final List<String> FIELDS = List.of("length", "offset", "metadata", "tenant", "createdAt",
            "expiresAt");

    private final UnifiedJedis redis;
    private final String prefix;
    private final String openKey;
    private final String holder;

    /** A store whose uploads record no holder. */
    public TusStore(UnifiedJedis redis, String keyPrefix) {
        this(redis, keyPrefix, "");
    }

    /** @param holder the API instance whose disk keeps the bytes of the uploads it creates (see {@link TusHolders}) */
    public TusStore(UnifiedJedis redis, String keyPrefix, String holder) {
        this.redis = redis;
        this.prefix = keyPrefix + "upload:";
        this.openKey = keyPrefix + "uploads-open:";
        this.holder = holder;
    }

    /** Stores an upload without a limit. */
    public void create(TusUpload upload) {
        create(upload, 0, upload.createdAt());
    }

    /**
     * Stores an upload, among the unfinished uploads of the key that made it (its owner, if any), of which the key may
     * have {@code most} (0: any number).
     *
     * @return false when the key has as many unfinished uploads as it may: nothing is stored
     */
    public boolean create(TusUpload upload, int most, Instant now) {
        String keyId = upload.owner();
        Map<String, String> hash = new HashMap<>(); // the owner is in 'open', the key's count: see owner()
        hash.put("length", Long.toString(upload.length()));
        hash.put("offset", Long.toString(upload.offset()));
        hash.put("metadata", TusMetadata.format(upload.metadata()));
        hash.put("tenant", upload.tenant());
        hash.put("createdAt", upload.createdAt().toString());
        hash.put("expiresAt", upload.expiresAt().toString());
        if (!holder.isEmpty()) {
            hash.put("holder", holder);
        }
        return Long.valueOf(1).equals(redis.eval(CREATE, List.of(key(upload.id())), ScriptArgs.of(hash,
                Long.toString(upload.expiresAt().toEpochMilli()), keyId == null ? "" : openKey + keyId,
                Integer.toString(most), Long.toString(now.toEpochMilli()))));
    }

    /**
     * The upload, unless it never existed, has expired or was terminated. A hash that lacks a field (one a finish made
     * again after its upload was gone, before the finish checked) is none either, rather than a failure at every
     * request for it.
     */
    public Optional<TusUpload> find(String id) {
        Map<String, String> hash = redis.hgetAll(key(id));
        if (!hash.keySet().containsAll(FIELDS)) {
            return Optional.empty();
        }
        return Optional.of(new TusUpload(id, Long.parseLong(hash.get("length")), Long.parseLong(hash.get("offset")),
                TusMetadata.stored(hash.get("metadata")), hash.get("tenant"), owner(hash),
                Instant.parse(hash.get("createdAt")), Instant.parse(hash.get("expiresAt")), hash.get("job")));
    }

    /** The API instance that keeps the upload's bytes; empty for an upload made before it was recorded. */
    public Optional<String> holder(String id) {
        return Optional.ofNullable(redis.hget(key(id), "holder"));
    }

    /**
     * This instance keeps the upload's bytes from now on: its first bytes are being written here (a client whose
     * requests reach another instance than the one that created the upload, which has none of them).
     */
    public void hold(String id) {
        if (!holder.isEmpty()) {
            redis.eval(HOLD, List.of(key(id)), List.of(holder));
        }
    }

    /** The key that created the upload, whose unfinished uploads it is counted among ({@code open}); null for none. */
    private String owner(Map<String, String> hash) {
        String open = hash.getOrDefault("open", "");
        return open.startsWith(openKey) ? open.substring(openKey.length()) : null;
    }

    /**
     * Moves the upload's offset from {@code from} to {@code to} (back, too: bytes counted that its file lacks).
     *
     * @param token the write lock's holder ({@link #lock})
     * @return false when the upload is gone, no longer at {@code from}, or its lock not held with {@code token}
     */
    public boolean advance(String id, String token, long from, long to, Instant expiresAt) {
        return Long.valueOf(1).equals(redis.eval(ADVANCE, List.of(key(id), lockKey(id)), List.of(Long.toString(from),
                Long.toString(to), expiresAt.toString(), Long.toString(expiresAt.toEpochMilli()), token)));
    }

    /**
     * The upload became {@code job}: kept until it expires, so that a client that missed the answer can ask.
     *
     * @return false when the upload is gone (terminated or expired), which stays gone
     */
    public boolean finish(String id, String job) {
        return Long.valueOf(1).equals(redis.eval(FINISH, List.of(key(id)), List.of(job)));
    }

    public void delete(String id) {
        redis.eval(DELETE, List.of(key(id)), List.of());
    }

    /** @return whether {@code token} now holds the upload's write lock, for {@code millis} unless renewed */
    public boolean lock(String id, String token, long millis) {
        return "OK".equals(redis.set(lockKey(id), token, SetParams.setParams().nx().px(millis)));
    }

    public boolean renew(String id, String token, long millis) {
        Instant until = Instant.now().plusMillis(millis);
        return Long.valueOf(1).equals(redis.eval(RENEW, List.of(lockKey(id), key(id)), List.of(token,
                Long.toString(millis), until.toString(), Long.toString(until.toEpochMilli()))));
    }

    public void unlock(String id, String token) {
        redis.eval(RELEASE, List.of(lockKey(id)), List.of(token));
    }

    private String key(String id) {
        return prefix + id;
    }

    private String lockKey(String id) {
        return prefix + id + ":lock";
    }
}
