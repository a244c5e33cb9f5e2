package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
