package io.videotranscoder.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

import io.videotranscoder.process.StartRefusal;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The key {@link EventTokens} are signed with: the operator's setting, else one made by the first instance that needs
 * it and kept in Redis, so that a token issued by one API instance opens a stream on any other. Read once, then kept.
 */
public final class TokenKey implements Supplier<byte[]> {

    /** The shortest secret taken, as the webhooks' secret's. */
    static final int MIN_BYTES = 24;

    private final UnifiedJedis redis;
    private final String redisKey;
    private volatile byte[] key;

    /** @param configured the setting's secret; blank: the one kept in Redis under {@code redisKey} */
    public TokenKey(UnifiedJedis redis, String redisKey, String configured) {
        this.redis = redis;
        this.redisKey = redisKey;
        this.key = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
        if (key != null && key.length < MIN_BYTES) {
            // A short key is guessed: a one-letter secret signed every stream's token (its length only is told).
            throw new StartRefusal("TRANSCODER_EVENT_TOKEN_SECRET must be " + MIN_BYTES + " bytes or more (e.g."
                                   + " $(openssl rand -base64 32)), not " + key.length + ".");
        }
    }

    @Override
    public byte[] get() {
        byte[] known = key;
        if (known == null) {
            // The first instance's key wins; every other reads it back.
            redis.set(redisKey, Base64.getEncoder().encodeToString(EventTokens.newKey()), SetParams.setParams().nx());
            known = Base64.getDecoder().decode(redis.get(redisKey));
            key = known;
        }
        return known;
    }
}
