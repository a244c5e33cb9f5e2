package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Moves inside a folder others may write in, which follow no link on either way. */
class LinkFreePathsTest {

    @TempDir
    Path root;

    @Test
    void a_file_moves_between_the_folders_of_its_base() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Files.createDirectories(inbox.resolve("h264-720p"));
        Files.createDirectories(inbox.resolve(".claimed/c1/h264-720p"));
        Files.writeString(inbox.resolve("h264-720p/clip.mp4"), "dropped");

        LinkFreePaths.moveOut(inbox, Path.of("h264-720p/clip.mp4"), Path.of(".claimed/c1/h264-720p/clip.mp4"));

        assertEquals("dropped", Files.readString(inbox.resolve(".claimed/c1/h264-720p/clip.mp4")));
        assertFalse(Files.exists(inbox.resolve("h264-720p/clip.mp4")));
    }

    /**
     * The folder a file moves into swapped for a link to a folder outside (a dropper racing the inbox, which may
     * rename the inbox's own folders): the move is refused, and nothing lands where the link points.
     */
    @Test
    void a_target_folder_swapped_for_a_link_takes_nothing() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox"));
        Path outside = Files.createDirectories(root.resolve("outside/c1"));
        Files.createSymbolicLink(inbox.resolve(".claimed"), outside.getParent());
        Files.writeString(inbox.resolve("clip.mp4"), "dropped");

        assertThrows(LinkFreePaths.LinkOnTheWay.class, () -> LinkFreePaths.moveOut(inbox, Path.of("clip.mp4"),
                Path.of(".claimed/c1/clip.mp4")));

        assertFalse(Files.exists(outside.resolve("clip.mp4")), "nothing put through the link");
        assertEquals("dropped", Files.readString(inbox.resolve("clip.mp4")));
    }
}
