package io.videotranscoder.storage;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoReplaceMovesTest {

    @TempDir
    Path dir;

    @Test
    void a_move_never_replaces_a_file_made_at_its_target_and_moves_a_link_as_the_link() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "new");
        Path target = Files.writeString(dir.resolve("target.mp4"), "made a moment ago");

        assertThrows(FileAlreadyExistsException.class, () -> NoReplaceMoves.moveNew(source, target));
        assertEquals("made a moment ago", Files.readString(target));
        assertEquals("new", Files.readString(source));

        Path halfMoved = dir.resolve("half-moved.mp4"); // a move killed after its second name was made
        Files.createLink(halfMoved, source);
        NoReplaceMoves.moveNew(source, halfMoved);
        assertFalse(Files.exists(source), "the move is finished, not made again under another name");
        assertEquals("new", Files.readString(halfMoved));
        Files.move(halfMoved, source);

        Path link = Files.createSymbolicLink(dir.resolve("link.mp4"), source);
        Path moved = UniqueNames.move(link, dir.resolve("sub"), "link.mp4");
        assertTrue(Files.isSymbolicLink(moved));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertEquals("new", Files.readString(source), "what the link points to stays");
    }

    /**
     * Two movers renaming two files to one name at once (two API processes putting two originals of one name into
     * {@code .done/}, where the service may not link a file another user owns): one gets the name, the other is told
     * it is taken and keeps its file. A check, then a rename, let the second replace the first's.
     */
    @Test
    void two_renames_racing_for_one_name_never_replace_each_others_file() throws Exception {
        ExecutorService movers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                Path target = dir.resolve("done-" + round + ".mp4");
                Path a = Files.writeString(dir.resolve("a-" + round), "a");
                Path b = Files.writeString(dir.resolve("b-" + round), "b");
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> first = movers.submit(() -> renamed(start, a, target));
                Future<Boolean> second = movers.submit(() -> renamed(start, b, target));

                assertTrue(first.get() ^ second.get(), "one rename, round " + round);
                assertEquals(first.get() ? "b" : "a", Files.readString(first.get() ? b : a), "the other kept");
            }
        } finally {
            movers.shutdownNow();
        }
    }

    private static boolean renamed(CyclicBarrier start, Path file, Path target) throws Exception {
        start.await();
        try {
            NoReplaceMoves.renameNew(file, target);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        }
    }

    @Test
    void two_movers_of_one_file_to_one_name_leave_it_there() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Path target = dir.resolve("target.mp4");
        Files.createLink(target, source); // mover A made the second name

        NoReplaceMoves.moveNew(source, target); // mover B finds it made, and drops the first name
        NoReplaceMoves.dropFirstName(source, target, 1); // A goes on, and finds the first name gone

        assertEquals("the user's", Files.readString(target), "the file's last name stays");
        assertFalse(Files.exists(source));
    }

    @Test
    void two_movers_of_a_file_with_a_name_of_its_users_elsewhere_leave_it_at_the_target() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Files.createLink(dir.resolve("library.mp4"), source); // the user's own second name, as a media library makes
        Path target = dir.resolve("target.mp4");
        Files.createLink(target, source);

        NoReplaceMoves.moveNew(source, target);
        NoReplaceMoves.dropFirstName(source, target, 2);

        assertEquals("the user's", Files.readString(target));
    }

    @Test
    void a_mover_whose_file_was_moved_elsewhere_leaves_no_second_name() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Path mine = dir.resolve("mine.mp4");
        Files.createLink(mine, source);
        Files.move(source, dir.resolve("elsewhere.mp4")); // another mover took it first

        assertThrows(NoSuchFileException.class, () -> NoReplaceMoves.dropFirstName(source, mine, 1));
        assertFalse(Files.exists(mine));
        assertEquals("the user's", Files.readString(dir.resolve("elsewhere.mp4")));
    }

    @Test
    void a_link_at_the_target_to_the_file_is_not_the_file() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Path target = Files.createSymbolicLink(dir.resolve("target.mp4"), source);

        assertThrows(FileAlreadyExistsException.class, () -> NoReplaceMoves.moveNew(source, target));
        assertEquals("the user's", Files.readString(source));
    }
}
