package io.videotranscoder.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.StagedMoves;
import io.videotranscoder.support.LogCapture;
import org.apache.commons.io.file.PathUtils;
import org.apache.camel.component.file.GenericFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxFilterTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path inbox;

    private InboxFilter filter = filter(new DiskSpace(Path.of("/"), 0), Path.of("/"));

    @Test
    void a_file_is_taken_once_unchanged_for_the_stable_time_and_since_the_last_look() throws Exception {
        Path clip = written("clip.mp4", 1000, NOW.minusSeconds(1));
        assertFalse(accepts(clip), "written a second ago");
        Files.setLastModifiedTime(clip, FileTime.from(NOW.minusSeconds(3)));
        assertFalse(accepts(clip), "its time moved since the last look");

        assertTrue(accepts(clip), "unchanged for the stable time, and as it was at the last look");
    }

    @Test
    void a_file_growing_with_a_time_long_past_is_not_taken() throws Exception {
        // A network share whose clock is behind: every write leaves a time minutes old.
        Path clip = written("share.mp4", 1000, NOW.minusSeconds(600));
        assertFalse(accepts(clip), "first seen");
        written("share.mp4", 2000, NOW.minusSeconds(600));
        assertFalse(accepts(clip), "grown since the last look");

        assertTrue(accepts(clip), "the same at two looks");
    }

    @Test
    void a_file_larger_than_the_room_left_where_it_would_be_copied_stays_in_the_inbox() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && !StagedMoves.sameMount(shm, inbox),
                "no second mount here (/dev/shm)");
        Path data = Files.createTempDirectory(shm, "inbox-filter-");
        try {
            filter = filter(new DiskSpace(data, 0, 1500), data); // room for 1500 bytes
            Path large = written("large.mp4", 2000, NOW.minusSeconds(10));
            Path small = written("small.mp4", 1000, NOW.minusSeconds(10));
            accepts(large);
            accepts(small);

            assertFalse(accepts(large), "its copy would fail for want of room");
            assertTrue(accepts(small));
            Path sameMount = Files.createDirectories(inbox.resolve(".data"));
            filter = filter(new DiskSpace(sameMount, 0, 1500), sameMount);
            accepts(large);
            assertTrue(accepts(large), "on the inbox's own mount, it is renamed, not copied");
        } finally {
            PathUtils.deleteDirectory(data);
        }
    }

    /**
     * A name written in another encoding (Latin-1 bytes, from an old share or an archive): no file can be opened by
     * the name Java reads, so it stays where it is, and the log says why, once a minute. It was left in silence.
     */
    @Test
    void a_file_whose_name_is_not_valid_utf8_stays_and_is_said_once() throws Exception {
        Assumptions.assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")),
                "file names are read as UTF-8 only under a UTF-8 locale (the service warns at its start otherwise)");
        Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'caf\\351.mp4')\"").directory(inbox.toFile())
                .start();
        assertTrue(touch.waitFor() == 0);
        Path listed;
        try (var files = Files.list(inbox)) {
            listed = files.findFirst().orElseThrow();
        }
        GenericFile<Object> polled = new GenericFile<>();
        polled.setFile(listed.toFile());
        polled.setRelativeFilePath(listed.getFileName().toString());

        try (LogCapture log = new LogCapture()) {
            assertFalse(filter.accept(polled));
            assertFalse(filter.accept(polled));

            assertEquals(1, log.text().split("cannot be opened by its name", -1).length - 1, log.text());
        }
    }

    private static InboxFilter filter(DiskSpace disk, Path dataDir) {
        return new InboxFilter(2000, disk, dataDir, () -> { }, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private boolean accepts(Path file) throws Exception {
        GenericFile<Object> polled = new GenericFile<>();
        polled.setFile(file.toFile());
        polled.setLastModified(Files.getLastModifiedTime(file).toMillis());
        return filter.accept(polled);
    }

    private Path written(String name, int size, Instant at) throws Exception {
        Path file = Files.write(inbox.resolve(name), new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(at));
        return file;
    }
}
