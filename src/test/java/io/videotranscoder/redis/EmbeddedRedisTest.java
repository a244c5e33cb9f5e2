package io.videotranscoder.redis;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.videotranscoder.support.LogCapture;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRedisTest {

    /** Folders of the temporary directory holding a redis-server written since {@code since}. */
    private static List<Path> temporaryCopies(FileTime since) throws Exception {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(Files::isDirectory).filter(dir -> holdsServerSince(dir, since)).toList();
        }
    }

    private static boolean holdsServerSince(Path dir, FileTime since) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith("redis-server-")
                        && Files.getLastModifiedTime(file).compareTo(since) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // another user's, or gone meanwhile
        }
    }

    @Test
    void the_server_binary_is_unpacked_into_the_cache_once_and_no_copy_is_left_in_the_temporary_folder(
            @TempDir Path cache) throws Exception {
        FileTime before = FileTime.from(Instant.now().minusSeconds(1));

        Path first = EmbeddedRedis.binary(cache);
        FileTime written = Files.getLastModifiedTime(first);
        Path second = EmbeddedRedis.binary(cache);

        assertTrue(first.startsWith(cache), first.toString());
        assertTrue(Files.isExecutable(first));
        assertTrue(Files.size(first) > 1_000_000, "the whole server: " + Files.size(first));
        assertEquals(first, second);
        assertEquals(written, Files.getLastModifiedTime(second), "not written again");
        assertEquals(List.of(), temporaryCopies(before));
    }

    /**
     * A loopback port is open to every local process, and the server's data signs admin tokens: it asks for a
     * password that its folder alone holds (the service's user's), on no command line and in no log line. A server
     * started again on the same folder asks for the same one, so that the clients come back.
     */
    @Test
    void the_server_asks_for_a_password_that_its_folder_alone_holds(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve(".redis");
        EmbeddedRedis server = new EmbeddedRedis(folder, TestApp.CACHE);
        String password = URI.create(server.url()).getUserInfo().substring(1);
        assertTrue(password.matches("[0-9a-f]{48}"), password);
        try (LogCapture log = new LogCapture()) {
            server.start();
            assertTrue(log.text().contains("started on " + server.address()), log.text());
            assertFalse(log.text().contains(password), log.text());
        }
        try (JedisPooled client = RedisConnections.pooled(server.url(), 1)) {
            client.set("kept", "yes");
            try (Jedis anonymous = new Jedis("127.0.0.1", server.port())) {
                JedisDataException refused = assertThrows(JedisDataException.class, anonymous::ping);
                assertTrue(refused.getMessage().startsWith("NOAUTH"), refused.getMessage());
            }
            // Given in its configuration file: a server's arguments are readable by every user.
            assertEquals("requirepass " + password + "\n", Files.readString(folder.resolve("redis.conf")));
            for (String file : List.of("redis.conf", "redis.url")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        folder.resolve(file))), file);
            }
            assertEquals(Optional.of(server.url()), EmbeddedRedis.runningOn(folder), "what the keys command reads");

            server.stop();
            EmbeddedRedis again = new EmbeddedRedis(folder, server.port(), TestApp.CACHE);
            assertEquals(server.url(), again.url());
            again.start();
            try {
                // Its broken connection fails once; the next one opens with the same password.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "yes".equals(client.get("kept")));
            } finally {
                again.stop();
            }
        }
    }
}
