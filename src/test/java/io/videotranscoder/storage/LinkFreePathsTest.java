package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moves inside a folder others may write in, which follow no link on either way. */
class LinkFreePathsTest {

    @TempDir
    Path root;
    Path inbox;

    @BeforeEach
    void inbox() throws Exception {
        inbox = Files.createDirectories(root.resolve("inbox"));
    }

    @Test
    void a_file_moves_between_the_folders_of_its_base() throws Exception {
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
        Path outside = Files.createDirectories(root.resolve("outside/c1"));
        Files.createSymbolicLink(inbox.resolve(".claimed"), outside.getParent());
        Files.writeString(inbox.resolve("clip.mp4"), "dropped");

        assertThrows(LinkFreePaths.LinkOnTheWay.class, () -> LinkFreePaths.moveOut(inbox, Path.of("clip.mp4"),
                Path.of(".claimed/c1/clip.mp4")));

        assertFalse(Files.exists(outside.resolve("clip.mp4")), "nothing put through the link");
        assertEquals("dropped", Files.readString(inbox.resolve("clip.mp4")));
    }

    @Test
    void a_tree_is_removed_through_folder_handles_and_a_link_inside_as_the_link() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("keep.mp4"), "a user's");
        Path staged = Files.createDirectories(inbox.resolve("h264-720p/.moving-1/hls"));
        Files.writeString(staged.resolve("index.m3u8"), "#EXTM3U");
        Files.createSymbolicLink(staged.resolve("elsewhere"), outside);

        LinkFreePaths.deleteTree(inbox, Path.of("h264-720p/.moving-1"));

        assertFalse(Files.exists(inbox.resolve("h264-720p/.moving-1"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(inbox.resolve("h264-720p")));
        assertEquals("a user's", Files.readString(outside.resolve("keep.mp4")));
    }

    @Test
    void only_the_folders_of_a_tree_are_removed_and_one_that_holds_a_file_stays() throws Exception {
        Files.createDirectories(inbox.resolve(".claimed/c1/h264-720p/empty"));
        Files.writeString(Files.createDirectories(inbox.resolve(".claimed/c2/h264-720p")).resolve("a.mp4"), "a user's");

        assertTrue(LinkFreePaths.deleteFolders(inbox, Path.of(".claimed/c1")));
        assertFalse(LinkFreePaths.deleteFolders(inbox, Path.of(".claimed/c2")));

        assertFalse(Files.exists(inbox.resolve(".claimed/c1")));
        assertEquals("a user's", Files.readString(inbox.resolve(".claimed/c2/h264-720p/a.mp4")));
    }

    /**
     * A folder on the way swapped for a link to a folder outside holding a tree of the same names (a dropper racing
     * the sweep of staged copies): nothing is removed through the link.
     */
    @Test
    void a_tree_whose_way_became_a_link_is_left_and_nothing_removed_through_it() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside/.moving-1"));
        Files.writeString(outside.resolve("input.mp4"), "a user's");
        Files.createSymbolicLink(inbox.resolve("h264-720p"), outside.getParent());

        assertThrows(LinkFreePaths.LinkOnTheWay.class,
                () -> LinkFreePaths.deleteTree(inbox, Path.of("h264-720p/.moving-1")));
        assertThrows(LinkFreePaths.LinkOnTheWay.class,
                () -> LinkFreePaths.deleteTree(root, Path.of("inbox/h264-720p")));

        assertEquals("a user's", Files.readString(outside.resolve("input.mp4")));
        assertTrue(Files.isSymbolicLink(inbox.resolve("h264-720p")));
    }
}
