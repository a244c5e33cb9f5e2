package io.videotranscoder.redis;

import java.net.URI;
import java.time.Duration;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/** Builds the shared Redis client from a {@code redis://} or {@code rediss://} URL (user, password and db included). */
public final class RedisConnections {

    private RedisConnections() {
    }

    /**
     * @param poolSize connections: every blocking queue read holds one for up to its block time, so size it above the
     *                 number of pollers plus the HTTP worker threads that talk to Redis at once
     */
    public static JedisPooled pooled(String url, int poolSize) {
        URI uri = URI.create(url);
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://[user:password@]host:port[/db], got " + url);
        }
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis((int) Duration.ofSeconds(2).toMillis())
                .socketTimeoutMillis((int) Duration.ofSeconds(5).toMillis())
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
