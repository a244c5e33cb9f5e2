package io.videotranscoder.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.support.SmallDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InboxFoldersTest {

    @TempDir
    Path root;

    /**
     * On a full disk a file cannot be filed with its note: it stays where it was, and no empty note is left in
     * .failed/, where it took the note's name and every later note of that file went to a variant.
     */
    @Test
    void a_file_refused_on_a_full_disk_stays_and_leaves_no_empty_note() throws Exception {
        Path inbox = root.resolve("inbox");
        try (SmallDisk disk = SmallDisk.mount(inbox, 64)) {
            InboxFolders folders = new InboxFolders(inbox);
            folders.failedDir();
            byte[] video = new byte[2048];
            Path file = Files.write(inbox.resolve("clip.mp4"), video);
            disk.fill();

            assertThrows(IOException.class, () -> folders.fail(file, "clip.mp4", "Not a video: ".repeat(400)));

            assertArrayEquals(video, Files.readAllBytes(file));
            try (var failed = Files.list(folders.failedDir())) {
                assertEquals(0, failed.count(), "nothing in .failed/");
            }
        }
    }
}
