package io.videotranscoder.support;

import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.JedisPooled;

/** A real Redis server for one test class ({@code @RegisterExtension static}), with a pool of connections to it. */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private final int connections;
    private Path dir;
    private EmbeddedRedis server;
    private JedisPooled client;

    public RedisServer(int connections) {
        this.connections = connections;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("redis-server-");
        server = new EmbeddedRedis(dir, TestApp.CACHE);
        server.start();
        client = RedisConnections.pooled(server.url(), connections);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        server.stop();
        PathUtils.deleteDirectory(dir);
    }

    public JedisPooled client() {
        return client;
    }

    public String url() {
        return server.url();
    }
}
