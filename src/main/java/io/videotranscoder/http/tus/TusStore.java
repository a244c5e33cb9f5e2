package io.videotranscoder.http.tus;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.redis.ScriptArgs;
import redis.clients.jedis.UnifiedJedis;

/**
 * Resumable uploads in Redis: a hash per upload that expires with the upload, and a lock that one request holds while
 * it writes the upload's bytes, so that two requests (a client that retried while its first request still ran, on
 * another instance) never write the same file at once.
 */
public class TusStore {

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
        return Long.valueOf(1).equals(redis.eval(TusScripts.CREATE, List.of(key(upload.id())), ScriptArgs.of(hash,
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
            redis.eval(TusScripts.HOLD, List.of(key(id)), List.of(holder));
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
        return Long.valueOf(1).equals(redis.eval(TusScripts.ADVANCE, List.of(key(id), lockKey(id)),
                List.of(Long.toString(from), Long.toString(to), expiresAt.toString(),
                        Long.toString(expiresAt.toEpochMilli()), token)));
    }

    /**
     * The upload became {@code job}: kept until it expires, so that a client that missed the answer can ask.
     *
     * @return false when the upload is gone (terminated or expired), which stays gone
     */
    public boolean finish(String id, String job) {
        return Long.valueOf(1).equals(redis.eval(TusScripts.FINISH, List.of(key(id)), List.of(job)));
    }

    public void delete(String id) {
        redis.eval(TusScripts.DELETE, List.of(key(id)), List.of());
    }

    /** @return whether {@code token} now holds the upload's write lock, for {@code millis} unless renewed */
    public boolean lock(String id, String token, long millis) {
        return locked(TusScripts.LOCK, id, token, millis);
    }

    public boolean renew(String id, String token, long millis) {
        return locked(TusScripts.RENEW, id, token, millis);
    }

    /** The lock taken or renewed for {@code millis}, and the upload kept at least as long. */
    private boolean locked(String script, String id, String token, long millis) {
        Instant until = Instant.now().plusMillis(millis);
        return Long.valueOf(1).equals(redis.eval(script, List.of(lockKey(id), key(id)), List.of(token,
                Long.toString(millis), until.toString(), Long.toString(until.toEpochMilli()))));
    }

    public void unlock(String id, String token) {
        redis.eval(TusScripts.RELEASE, List.of(lockKey(id)), List.of(token));
    }

    private String key(String id) {
        return prefix + id;
    }

    private String lockKey(String id) {
        return prefix + id + ":lock";
    }
}
