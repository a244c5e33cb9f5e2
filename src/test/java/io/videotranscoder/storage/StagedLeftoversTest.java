package io.videotranscoder.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-made staged copies (files, or an HLS result's folder) a killed process left in the inbox's folders or the
 * outbox go once an hour unwritten.
 */
class StagedLeftoversTest {

    /** Two hours from now: what is written now is as old as that (a file's change time cannot be set). */
    private static final Instant NOW = Instant.now().plus(Duration.ofHours(2));

    @TempDir
    Path root;

    @Test
    void a_staged_copy_unwritten_for_an_hour_goes_and_nothing_else_does() throws Exception {
        Path inbox = Files.createDirectories(root.resolve("inbox/h264-720p/.failed"));
        Path outbox = Files.createDirectories(root.resolve("outbox"));
        Path left = written(inbox.resolve(staged()), NOW.minusSeconds(7200));
        Path underWay = written(outbox.resolve(staged()), NOW.minusSeconds(5));
        Path users = written(outbox.resolve("clip.mp4"), NOW.minusSeconds(7200));
        // A user's result named after a file whose name began so (before display names lost their leading dots).
        Path usersLookalike = written(outbox.resolve(StagedMoves.PREFIX + "1-h264-720p.mp4"), NOW.minusSeconds(7200));
        Path elsewhere = written(Files.createDirectories(root.resolve("elsewhere")).resolve(staged()),
                NOW.minusSeconds(7200));
        Path link = Files.createSymbolicLink(outbox.resolve(staged()), elsewhere);
        // An HLS result's folder, copied into the outbox by a delivery that was stopped, and one under way.
        Path leftFolder = Files.createDirectories(outbox.resolve(staged()));
        written(leftFolder.resolve("index.m3u8"), NOW.minusSeconds(7200));
        Files.setLastModifiedTime(leftFolder, FileTime.from(NOW.minusSeconds(7200)));
        Path folderUnderWay = Files.createDirectories(outbox.resolve(staged()));
        written(folderUnderWay.resolve("index.m3u8"), NOW.minusSeconds(7200));
        Files.setLastModifiedTime(folderUnderWay, FileTime.from(NOW.minusSeconds(5)));

        int removed = new StagedLeftovers(List.of(root.resolve("inbox"), outbox, root.resolve("missing")),
                Clock.fixed(NOW, ZoneOffset.UTC)).sweep();

        assertEquals(2, removed);
        assertFalse(Files.exists(left));
        assertFalse(Files.exists(leftFolder), "a folder copy a stopped delivery left");
        assertTrue(Files.exists(folderUnderWay.resolve("index.m3u8")), "a folder copy under way gains files");
        assertTrue(Files.exists(underWay), "a copy under way is written to");
        assertTrue(Files.exists(users), "a user's file is never a staged copy");
        assertTrue(Files.exists(usersLookalike), "nor one whose name only begins like one");
        assertTrue(Files.exists(elsewhere), "only the folders it is given");
        assertTrue(Files.isSymbolicLink(link), "a link is no copy of its own");
    }

    /** A result linked into the outbox a moment before it is named keeps its old time of writing. */
    @Test
    void a_second_name_just_made_for_an_old_file_is_not_a_leftover() throws Exception {
        Path output = written(root.resolve("output.mp4"), Instant.now().minus(Duration.ofHours(3)));
        Path outbox = Files.createDirectories(root.resolve("outbox"));
        Path linked = Files.createLink(outbox.resolve(staged()), output);

        assertEquals(0, new StagedLeftovers(List.of(outbox), Clock.systemUTC()).sweep());

        assertTrue(Files.exists(linked));
    }

    private static String staged() {
        return StagedMoves.PREFIX + UUID.randomUUID();
    }

    private static Path written(Path file, Instant at) throws Exception {
        Files.writeString(file, "bytes");
        Files.setLastModifiedTime(file, FileTime.from(at));
        return file;
    }
}
