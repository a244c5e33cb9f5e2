package io.videotranscoder.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
