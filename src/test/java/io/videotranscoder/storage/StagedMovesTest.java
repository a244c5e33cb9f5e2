package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Moves from one mount to another (the test's folder and the shared-memory file system), as between the compose
 * file's ./inbox and ./videos: the target's name appears only on a whole copy, and no staged copy is left behind.
 */
class StagedMovesTest {

    @TempDir
    Path folder;
    private Path elsewhere;

    @BeforeEach
    void otherMount() throws IOException {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && !StagedMoves.sameMount(shm, folder),
                "no second mount here (/dev/shm)");
        elsewhere = Files.createTempDirectory(shm, "staged-moves-");
    }

    @AfterEach
    void removeElsewhere() throws IOException {
        if (elsewhere != null) {
            PathUtils.deleteDirectory(elsewhere);
        }
    }

    private Path original(String name) throws IOException {
        return Files.writeString(elsewhere.resolve(name), "the user's file");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void moves_a_file_to_a_free_name_on_another_mount() throws Exception {
        Path file = original("holiday.mp4");
        Files.writeString(folder.resolve("holiday.mp4"), "another file, kept");

        Path moved = UniqueNames.move(file, folder, "holiday.mp4");

        assertEquals(folder.resolve("holiday-1.mp4"), moved);
        assertEquals("the user's file", Files.readString(moved));
        assertEquals("another file, kept", Files.readString(folder.resolve("holiday.mp4")));
        assertFalse(Files.exists(file));
        assertEquals(List.of("holiday-1.mp4", "holiday.mp4"), names(folder), "no staged copy left");
    }

    @Test
    void never_moves_over_a_file_and_keeps_the_original_when_the_name_is_taken() throws Exception {
        Path file = original("taken.mp4");
        Path target = Files.writeString(folder.resolve("taken.mp4"), "there first");

        assertThrows(FileAlreadyExistsException.class, () -> NoReplaceMoves.moveNew(file, target));

        assertEquals("there first", Files.readString(target));
        assertEquals("the user's file", Files.readString(file));
        assertEquals(List.of("taken.mp4"), names(folder));
    }

    @Test
    void a_copy_that_cannot_be_named_leaves_the_original_and_nothing_under_the_target() throws Exception {
        Path file = original("cut.mp4");
        Path target = folder.resolve("cut.mp4");

        assertThrows(IOException.class, () -> StagedMoves.move(file, target, staged -> {
            assertTrue(Files.isRegularFile(staged) && staged.getFileName().toString().startsWith(StagedMoves.PREFIX));
            throw new IOException("killed before the copy was named");
        }));

        assertEquals("the user's file", Files.readString(file));
        assertEquals(List.of(), names(folder));
    }

    @Test
    void a_file_written_to_while_it_is_copied_stays_where_it_is_and_nothing_is_named() throws Exception {
        Path file = original("growing.mp4");
        Path target = folder.resolve("growing.mp4");

        IOException e = assertThrows(IOException.class, () -> StagedMoves.move(file, target, (from, to) -> {
            Files.copy(from, to);
            Files.writeString(from, " and the rest", StandardOpenOption.APPEND); // the writer goes on
        }, staged -> fail("a copy that may lack the file's end is not named")));

        assertTrue(e.getMessage().contains("changed while it was copied"), e.getMessage());
        assertEquals("the user's file and the rest", Files.readString(file));
        assertEquals(List.of(), names(folder));
    }

    @Test
    void a_replacing_move_replaces_the_target_whole() throws Exception {
        Path file = original("input.mp4");
        Path target = Files.writeString(folder.resolve("input.mp4"), "a copy cut short");

        StagedMoves.moveReplacing(file, target);

        assertEquals("the user's file", Files.readString(target));
        assertFalse(Files.exists(file));
        assertEquals(List.of("input.mp4"), names(folder));
    }
}
