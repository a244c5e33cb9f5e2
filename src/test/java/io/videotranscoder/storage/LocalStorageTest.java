package io.videotranscoder.storage;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStorageTest {

    @TempDir
    Path root;

    @Test
    void a_key_is_a_file_under_the_root_and_never_outside() throws Exception {
        Files.createDirectories(root.resolve("job"));
        Files.writeString(root.resolve("job/output.mp4"), "12345");
        LocalStorage storage = new LocalStorage(root);
        assertEquals(5, storage.stat("job/output.mp4").orElseThrow().size());
        assertTrue(storage.stat("job/missing.mp4").isEmpty());
        assertEquals(root.resolve("job/output.mp4"), storage.file("job/output.mp4").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> storage.stat("../elsewhere"));
        assertNull(storage.outputKey("job", "0123456789abcdef", "output.mp4"), "outputs are moved into the job folder");
    }

    @Test
    void a_copy_is_a_new_file_and_never_replaces_one() throws Exception {
        Files.createDirectories(root.resolve("job"));
        Files.writeString(root.resolve("job/output.mp4"), "12345");
        LocalStorage storage = new LocalStorage(root);
        storage.copy("job/output.mp4", root.resolve("copy.mp4"));
        assertEquals("12345", Files.readString(root.resolve("copy.mp4")));
        assertThrows(FileAlreadyExistsException.class, () -> storage.copy("job/output.mp4", root.resolve("copy.mp4")));
    }
}
