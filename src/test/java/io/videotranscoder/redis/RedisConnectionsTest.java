package io.videotranscoder.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.XReadGroupParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared client, against a real Redis. */
class RedisConnectionsTest {

    @TempDir
    Path dir;

    /**
     * A Redis that stops answering without closing its connections (its host lost, a partition; here: stopped by
     * SIGSTOP) fails a blocked queue read once its block time and the reply timeout have passed: the read waited for
     * ever (until TCP gave up, two hours on), holding its poller and its worker's slot.
     */
    @Test
    void a_blocked_queue_read_fails_once_redis_stops_answering() throws Exception {
        Path folder = dir.resolve(".redis"); // made by the server, as under a data root
        EmbeddedRedis server = new EmbeddedRedis(folder, TestApp.CACHE);
        server.start();
        // Its data (keys' digests, webhooks' secrets) is the service's user's alone.
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        List<ProcessHandle> redisServer = ProcessHandle.of(Long.parseLong(Files.readString(folder.resolve("redis.pid"))
                .strip())).stream().toList();
        try (JedisPooled redis = RedisConnections.pooled(server.url(), 2, Duration.ofMillis(200),
                Duration.ofSeconds(1))) {
            redis.xgroupCreate("jobs", "workers", new StreamEntryID(), true);
            assertTrue(!redisServer.isEmpty(), "the server's process is found");
            Frozen.signal("STOP", redisServer);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(JedisConnectionException.class,
                        () -> redis.xreadGroup("workers", "w1", XReadGroupParams.xReadGroupParams().count(1)
                                .block(200), Map.of("jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY))));
            } finally {
                Frozen.signal("CONT", redisServer);
            }
        } finally {
            server.stop();
        }
    }
}
