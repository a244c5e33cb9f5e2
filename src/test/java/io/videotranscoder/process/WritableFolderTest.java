package io.videotranscoder.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WritableFolderTest {

    @TempDir
    Path root;

    @Test
    void a_missing_folder_is_made_and_the_check_leaves_nothing_in_it() throws Exception {
        Path dir = root.resolve("data/videos");

        assertEquals(dir, WritableFolder.require(dir, "TRANSCODER_DATA_DIR"));

        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void a_folder_that_cannot_be_made_refuses_the_start_naming_it_and_the_setting() throws Exception {
        Path file = Files.writeString(root.resolve("videos"), "a file where the folder should be");

        StartRefusal refusal = assertThrows(StartRefusal.class,
                () -> WritableFolder.require(file, "TRANSCODER_DATA_DIR"));
        StartRefusal below = assertThrows(StartRefusal.class,
                () -> WritableFolder.require(file.resolve(".redis"), "TRANSCODER_DATA_DIR"));

        assertEquals("Cannot write in " + file + " (" + file + " is a file, not a folder): set TRANSCODER_DATA_DIR to "
                     + "a folder the service may write.", refusal.getMessage());
        assertEquals("Cannot write in " + file.resolve(".redis") + " (Not a directory): set TRANSCODER_DATA_DIR to a "
                     + "folder the service may write.", below.getMessage());
    }
}
