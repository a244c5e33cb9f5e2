package io.videotranscoder;

import java.nio.file.Path;
import java.time.Duration;

import io.videotranscoder.process.WritableFolder;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.EvictionPolicy;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.redis.RedisHealthCheck;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/** Redis, the only shared state: the configured server, else an embedded one under the data root. */
public class RedisConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConfiguration.class);

    /** camel-main calls the factory methods twice (as it creates this class, then as it loads it): one is started. */
    private JedisPooled redis;

    /** Every poller blocks on one connection; HTTP threads share the rest. redis-stream takes this client too. */
    @BindToRegistry(destroyMethod = "close")
    public JedisPooled redis(CamelContext context, @PropertyInject("transcoder.redis-url") String url,
            @PropertyInject("transcoder.data-dir") String dataDir,
            @PropertyInject("transcoder.cache-dir") String cacheDir,
            @PropertyInject("transcoder.concurrency") int concurrency,
            @PropertyInject("transcoder.queue-block") Duration queueBlock,
            @PropertyInject("transcoder.redis-timeout") Duration replyTimeout) throws Exception {
        if (redis == null) {
            if (url.isBlank()) {
                Path folder = WritableFolder.require(Path.of(dataDir, ".redis"), "TRANSCODER_DATA_DIR");
                EmbeddedRedis embedded = new EmbeddedRedis(folder, Path.of(cacheDir));
                embedded.start();
                context.addService(embedded, true, true); // stopped with Camel
                url = embedded.url();
            }
            redis = RedisConnections.pooled(url, concurrency * 2 + 32, queueBlock, replyTimeout);
            EvictionPolicy.problem(redis).ifPresent(LOG::warn); // nothing told while Redis is not up yet
        }
        return redis;
    }

    /** Found in the registry by Camel's health checks: ready only while Redis answers. */
    @BindToRegistry
    public RedisHealthCheck redisHealthCheck(JedisPooled redis) {
        return new RedisHealthCheck(redis);
    }
}
