package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StickyFolderTest {

    @TempDir
    Path root;

    private Path folder(int mode) throws IOException {
        Path dir = Files.createDirectories(root.resolve("inbox-" + Integer.toOctalString(mode)));
        Files.setAttribute(dir, "unix:mode", mode);
        return dir;
    }

    private static int mode(Path dir) throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:mode") & 07777;
    }

    @Test
    void a_folder_others_may_write_in_is_made_sticky() throws Exception {
        Path shared = folder(0777);
        Path group = folder(0775);

        assertTrue(StickyFolder.guard(shared));
        assertTrue(StickyFolder.guard(group));

        assertEquals(01777, mode(shared));
        assertEquals(01775, mode(group));
    }

    @Test
    void a_folder_only_its_owner_writes_in_is_left_as_it_is() throws Exception {
        Path own = folder(0755);

        assertTrue(StickyFolder.guard(own));

        assertEquals(0755, mode(own));
    }
}
