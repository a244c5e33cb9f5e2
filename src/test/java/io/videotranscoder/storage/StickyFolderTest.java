package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void a_shared_folder_of_another_user_is_said_to_be_unsafe_and_left() throws Exception {
        Path theirs = folder(0777);
        try {
            Files.setAttribute(theirs, "unix:uid", 4242);
        } catch (IOException e) {
            Assumptions.abort("only root may give a folder to another user here: " + e);
        }

        assertFalse(StickyFolder.guard(theirs));

        assertEquals(0777, mode(theirs));
    }
}
