package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room an upload needs is asked of the real file system before a byte of it is written. */
class DiskSpaceTest {

    @TempDir
    Path root;

    @Test
    void an_upload_that_would_leave_less_than_the_threshold_free_is_refused_before_it_is_written() throws Exception {
        long usable = Files.getFileStore(root).getUsableSpace();
        DiskSpace disk = new DiskSpace(root, 1 << 20);

        assertDoesNotThrow(() -> disk.requireRoomFor(1 << 20));
        Refusal refused = assertThrows(Refusal.class, () -> disk.requireRoomFor(usable));
        assertEquals(Refusal.Kind.NO_SPACE, refused.kind());
        assertTrue(refused.getMessage().contains("this upload is " + usable / (1 << 20) + " MiB"),
                refused.getMessage());
    }

    @Test
    void uploads_under_way_hold_the_room_they_have_yet_to_write_until_they_end() throws Exception {
        long mib = 1 << 20;
        // 100 MiB of room above the threshold, whatever the disk holds: each upload of 60 MiB fits alone, two do not.
        DiskSpace disk = new DiskSpace(root, Files.getFileStore(root).getUsableSpace() - 100 * mib);
        AtomicLong written = new AtomicLong();

        DiskSpace.Reservation first = disk.reserve(60 * mib, written::get);
        Refusal second = assertThrows(Refusal.class, () -> disk.reserve(60 * mib, () -> 0));
        assertEquals(Refusal.Kind.NO_SPACE, second.kind());
        // What the first has written is counted by the disk itself (here: said written, as the disk holds it).
        written.set(30 * mib);
        assertDoesNotThrow(() -> disk.reserve(60 * mib, () -> 0).close());

        first.close();
        first.close(); // given back once
        assertDoesNotThrow(() -> disk.reserve(60 * mib, () -> 0).close());
        assertThrows(Refusal.class, () -> disk.reserve(120 * mib, () -> 0));
    }

    @Test
    void a_worker_is_told_why_it_may_take_no_work_only_while_space_is_short() throws Exception {
        long mib = 1 << 20;
        // May hold 10 MiB and keeps 4 MiB free: 8 MiB written leaves 2 MiB, under it; the file gone, 10 MiB again.
        DiskSpace disk = new DiskSpace(root, 4 * mib, 10 * mib);
        assertNull(disk.shortage());
        Path ballast = Files.write(root.resolve("ballast"), new byte[(int) (8 * mib)]);
        DiskSpace full = new DiskSpace(root, 4 * mib, 10 * mib);

        assertEquals(root + " has 2 MiB free for the work, under the 4 MiB kept free", full.shortage());
        Files.delete(ballast);
        assertNull(new DiskSpace(root, 4 * mib, 10 * mib).shortage());
    }

    @Test
    void a_folder_under_the_root_is_counted_as_the_root_and_another_on_its_own_disk() throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        DiskSpace disk = new DiskSpace(data, 1 << 20, 10L << 20);

        assertSame(disk, disk.of(data.resolve("outbox")), "its limit counts what the folder holds");
        DiskSpace elsewhere = disk.of(root.resolve("outbox/not/made/yet"));
        assertNotSame(disk, elsewhere);
        assertNull(elsewhere.shortage(), "its file system's room, without the root's limit");
    }

    @Test
    void under_a_limit_on_what_the_root_holds_its_files_count_against_the_room() throws Exception {
        long mib = 1 << 20;
        Path input = Files.write(Files.createDirectories(root.resolve("job")).resolve("input.mp4"),
                new byte[(int) (3 * mib)]);
        Files.createLink(root.resolve("job").resolve("outbox-copy.mp4"), input); // the same bytes, counted once
        // May hold 10 MiB, keeps 1 MiB free, holds 3 MiB: room for 6 MiB, whatever the file system has.
        DiskSpace disk = new DiskSpace(root, mib, 10 * mib);

        assertDoesNotThrow(() -> disk.requireRoomFor(6 * mib));
        Refusal refused = assertThrows(Refusal.class, () -> disk.requireRoomFor(7 * mib));
        assertTrue(refused.getMessage().startsWith("The server has room for 6 MiB more"), refused.getMessage());
        assertFalse(disk.low());

        Files.write(root.resolve("job").resolve("output.mp4"), new byte[(int) (7 * mib)]);
        DiskSpace full = new DiskSpace(root, mib, 10 * mib); // counted afresh: 10 MiB held, none free
        assertTrue(full.low());
        assertEquals(Refusal.Kind.NO_SPACE, assertThrows(Refusal.class, full::requireFree).kind());

        // A limit at or under the free space kept would refuse every upload: the service does not start with it.
        assertThrows(StartRefusal.class, () -> new DiskSpace(root, 10 * mib, 10 * mib));
    }
}
