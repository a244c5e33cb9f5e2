package io.videotranscoder.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnpackedOnceTest {

    @TempDir
    Path cache;

    private static void tool(Path dir, String name) throws IOException {
        UnpackedOnce.copyExecutable(new ByteArrayInputStream(name.getBytes()), dir.resolve(name));
    }

    private List<Path> cacheContents() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.toList();
        }
    }

    @Test
    void a_folder_is_unpacked_at_the_first_call_only() throws Exception {
        Path folder = cache.resolve("tool-1.0");
        AtomicInteger fills = new AtomicInteger();
        UnpackedOnce.Contents contents = dir -> {
            fills.incrementAndGet();
            tool(dir, "a");
            tool(dir, "b");
        };

        assertTrue(UnpackedOnce.ensure(folder, List.of("a", "b"), contents));
        assertFalse(UnpackedOnce.ensure(folder, List.of("a", "b"), contents));

        assertEquals(1, fills.get());
        assertTrue(Files.isExecutable(folder.resolve("a")));
        assertEquals("b", Files.readString(folder.resolve("b")));
        assertEquals(List.of(folder), cacheContents(), "no staging folder left");
    }

    @Test
    void a_failed_unpack_leaves_nothing_and_the_next_call_tries_again() throws Exception {
        Path folder = cache.resolve("tool-1.0");

        StartRefusal failure = assertThrows(StartRefusal.class, () -> UnpackedOnce.ensure(folder, List.of("a"), dir -> {
            tool(dir, "a");
            throw new IOException("No space left on device");
        }));

        assertEquals("Cannot unpack tool-1.0 into the cache folder " + cache + " (No space left on device): set "
                     + "TRANSCODER_CACHE_DIR to a folder the service may write.", failure.getMessage());
        assertEquals(List.of(), cacheContents());
        assertTrue(UnpackedOnce.ensure(folder, List.of("a"), dir -> tool(dir, "a")));
    }

    @Test
    void a_start_that_loses_the_race_uses_the_winners_folder() throws Exception {
        Path folder = cache.resolve("tool-1.0");

        UnpackedOnce.ensure(folder, List.of("a"), dir -> {
            tool(dir, "a");
            // Another process renames its whole copy into place while this one is still writing.
            Files.createDirectories(folder);
            tool(folder, "a");
        });

        assertTrue(Files.isExecutable(folder.resolve("a")));
        assertEquals(List.of(folder), cacheContents(), "the loser's copy is deleted");
    }

    @Test
    void a_folder_missing_an_executable_is_named_rather_than_used() throws Exception {
        Path folder = Files.createDirectories(cache.resolve("tool-1.0"));
        tool(folder, "a");

        StartRefusal refusal = assertThrows(StartRefusal.class,
                () -> UnpackedOnce.ensure(folder, List.of("a", "b"), dir -> tool(dir, "b")));

        assertEquals(folder + " lacks one of [a, b]: delete it, and it is unpacked again.", refusal.getMessage());
    }

    @Test
    void a_cache_that_cannot_hold_folders_stops_the_start_with_what_to_set() throws Exception {
        Path file = Files.writeString(cache.resolve("cache"), "not a folder");

        StartRefusal onTheFile = assertThrows(StartRefusal.class,
                () -> UnpackedOnce.ensure(file.resolve("tool-1.0"), List.of("a"), dir -> tool(dir, "a")));
        StartRefusal under = assertThrows(StartRefusal.class,
                () -> UnpackedOnce.ensure(file.resolve("sub/tool-1.0"), List.of("a"), dir -> tool(dir, "a")));

        assertEquals("Cannot unpack tool-1.0 into the cache folder " + file + " (" + file + " is a file, not a folder): "
                     + "set TRANSCODER_CACHE_DIR to a folder the service may write.", onTheFile.getMessage());
        assertTrue(under.getMessage().contains("(Not a directory)"), under.getMessage());
    }
}
