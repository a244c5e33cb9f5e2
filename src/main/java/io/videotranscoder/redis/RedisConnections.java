package io.videotranscoder.redis;

import java.net.URI;
import java.time.Duration;

import io.videotranscoder.process.SettingUri;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/** Builds the shared Redis client from a {@code redis://} or {@code rediss://} URL (user, password and db included). */
public final class RedisConnections {

    /** How long a reply may take, beyond a blocking read's block time, where no setting says. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private RedisConnections() {
    }

    /** A client that never blocks (no queue reads): the keys command's. */
    public static JedisPooled pooled(String url, int poolSize) {
        return pooled(url, poolSize, Duration.ZERO, REPLY_TIMEOUT);
    }

    /**
     * @param poolSize     connections: every blocking queue read holds one for up to its block time, so size it above
     *                     the number of pollers plus the HTTP worker threads that talk to Redis at once
     * @param longestBlock the longest a queue read blocks: one waits that long and the socket timeout more, then fails
     *                     (a Redis host that vanished without closing its connections held a poller, and its slot,
     *                     until TCP gave up, two hours on)
     * @param replyTimeout how long any reply may take beyond its block time (a Redis far away, or swapping, needs more)
     */
    public static JedisPooled pooled(String url, int poolSize, Duration longestBlock, Duration replyTimeout) {
        URI uri = SettingUri.parse(url).filter(JedisURIHelper::isValid).orElse(null);
        if (uri == null) {
            // Its password is never told (a start's refusal is logged).
            String given = url.contains("@") ? "the address given (its password not shown)" : url;
            throw new IllegalArgumentException("REDIS_URL must look like redis://[user:password@]host:port[/db], not "
                                               + given);
        }
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis((int) Duration.ofSeconds(2).toMillis())
                .socketTimeoutMillis((int) replyTimeout.toMillis())
                .blockingSocketTimeoutMillis((int) longestBlock.plus(replyTimeout).toMillis())
                .clientName("video-transcoder")
                .build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(poolSize);
        pool.setMaxIdle(poolSize);
        pool.setMaxWait(Duration.ofSeconds(5));
        pool.setTestWhileIdle(true);
        return new JedisPooled(pool, new HostAndPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379), config);
    }
}
