package io.videotranscoder.storage;

import java.nio.charset.StandardCharsets;
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

class UniqueNamesTest {

    @TempDir
    Path dir;

    private static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void a_short_name_is_kept_and_a_taken_one_gets_a_suffix_before_the_extension() throws Exception {
        Files.writeString(dir.resolve("a.mp4"), "taken");
        Path source = Files.writeString(dir.resolve("source"), "new");

        assertEquals(dir.resolve("a-1.mp4"), UniqueNames.move(source, dir, "a.mp4"));
        assertEquals("taken", Files.readString(dir.resolve("a.mp4")));
    }

    @Test
    void a_move_never_replaces_a_file_made_at_its_target_and_moves_a_link_as_the_link() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "new");
        Path target = Files.writeString(dir.resolve("target.mp4"), "made a moment ago");

        assertThrows(FileAlreadyExistsException.class, () -> UniqueNames.moveNew(source, target));
        assertEquals("made a moment ago", Files.readString(target));
        assertEquals("new", Files.readString(source));

        Path halfMoved = dir.resolve("half-moved.mp4"); // a move killed after its second name was made
        Files.createLink(halfMoved, source);
        UniqueNames.moveNew(source, halfMoved);
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
            UniqueNames.renameNew(file, target);
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

        UniqueNames.moveNew(source, target); // mover B finds it made, and drops the first name
        UniqueNames.dropFirstName(source, target, 1); // A goes on, and finds the first name gone

        assertEquals("the user's", Files.readString(target), "the file's last name stays");
        assertFalse(Files.exists(source));
    }

    @Test
    void two_movers_of_a_file_with_a_name_of_its_users_elsewhere_leave_it_at_the_target() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Files.createLink(dir.resolve("library.mp4"), source); // the user's own second name, as a media library makes
        Path target = dir.resolve("target.mp4");
        Files.createLink(target, source);

        UniqueNames.moveNew(source, target);
        UniqueNames.dropFirstName(source, target, 2);

        assertEquals("the user's", Files.readString(target));
    }

    @Test
    void a_mover_whose_file_was_moved_elsewhere_leaves_no_second_name() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Path mine = dir.resolve("mine.mp4");
        Files.createLink(mine, source);
        Files.move(source, dir.resolve("elsewhere.mp4")); // another mover took it first

        assertThrows(NoSuchFileException.class, () -> UniqueNames.dropFirstName(source, mine, 1));
        assertFalse(Files.exists(mine));
        assertEquals("the user's", Files.readString(dir.resolve("elsewhere.mp4")));
    }

    @Test
    void a_link_at_the_target_to_the_file_is_not_the_file() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "the user's");
        Path target = Files.createSymbolicLink(dir.resolve("target.mp4"), source);

        assertThrows(FileAlreadyExistsException.class, () -> UniqueNames.moveNew(source, target));
        assertEquals("the user's", Files.readString(source));
    }

    @Test
    void a_long_name_loses_the_end_of_its_stem_and_keeps_its_extension_within_255_bytes() {
        UniqueNames.Name name = UniqueNames.Name.of("x".repeat(300) + ".mp4");

        String first = name.candidate(0, 255);
        String tenth = name.candidate(10, 255);

        assertEquals(255, bytes(first));
        assertTrue(first.endsWith("x.mp4"), first);
        assertEquals(255, bytes(tenth));
        assertTrue(tenth.endsWith("x-10.mp4"), tenth);
    }

    @Test
    void the_kept_part_survives_shortening_and_the_suffix_follows_it() {
        UniqueNames.Name name = new UniqueNames.Name("n".repeat(246), "-h264-720p", ".mp4");

        assertEquals("n".repeat(241) + "-h264-720p.mp4", name.candidate(0, 255));
        assertEquals("n".repeat(239) + "-h264-720p-1.mp4", name.candidate(1, 255));
    }

    @Test
    void multibyte_characters_are_counted_in_bytes_and_never_cut_in_half() {
        String candidate = UniqueNames.Name.of("é".repeat(200) + "😀".repeat(20) + ".mkv").candidate(0, 245);

        assertTrue(bytes(candidate) <= 245, candidate);
        assertTrue(candidate.endsWith(".mkv"));
        assertEquals(candidate, new String(candidate.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertTrue(candidate.codePoints().allMatch(c -> c == 'é' || c == 0x1F600 || ".mkv".indexOf(c) >= 0));
    }

    @Test
    void a_long_dotted_tail_is_not_taken_for_an_extension() {
        UniqueNames.Name name = UniqueNames.Name.of("film." + "t".repeat(40));

        assertEquals("", name.ext());
        assertEquals("film." + "t".repeat(40) + "-1", name.candidate(1, 255));
    }
}
