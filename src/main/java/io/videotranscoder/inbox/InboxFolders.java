package io.videotranscoder.inbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.videotranscoder.storage.NoReplaceMoves;
import io.videotranscoder.storage.StickyFolder;
import io.videotranscoder.storage.UniqueNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's own folders: {@code .claimed/} for the files being taken, {@code .processing/} for originals kept while
 * their jobs run ({@link KeptOriginals}), {@code .done/} for the originals of succeeded jobs, and {@code .failed/}
 * for the files that could not become a job or whose job failed, each with a note saying why. A file is never put over
 * another there: it takes the first free variant of its name.
 */
public class InboxFolders {

    private static final List<String> OWN = List.of(".claimed", ".done", ".failed", KeptOriginals.FOLDER);
    private static final String ERROR_NOTE = ".error.txt";
    private static final Logger LOG = LoggerFactory.getLogger(InboxFolders.class);

    private final Path inbox;

    InboxFolders(Path inbox) {
        this.inbox = inbox;
    }

    /**
     * Makes the inbox, and its own folders as an earlier version left them, sticky where others may write in them
     * ({@link StickyFolder}); one made from now on is made so as it is made.
     */
    public static void guard(Path inbox) {
        StickyFolder.guard(inbox);
        for (String own : OWN) {
            if (Files.isDirectory(inbox.resolve(own), LinkOption.NOFOLLOW_LINKS)) {
                StickyFolder.guard(inbox.resolve(own));
            }
        }
    }

    Path inbox() {
        return inbox;
    }

    public Path failedDir() throws IOException {
        return own(".failed");
    }

    /** Where the originals of succeeded jobs go. */
    public Path doneDir() throws IOException {
        return own(".done");
    }

    /** One of the inbox's own folders, which must be a real one: files moved through a link would land elsewhere. */
    Path own(String name) throws IOException {
        Path dir = inbox.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is a link or a file, not a folder: the inbox does not follow links");
            }
            StickyFolder.guard(dir); // made writable by a group (umask 002): no member renames what it holds
        }
        return dir;
    }

    /**
     * Puts a file in {@code .failed/} under {@code name} (or a free variant) with {@code <name>.error.txt} beside it:
     * the first variant whose name and note's name are both free, so that the note never replaces a file of the same
     * name (a user's, or an earlier note).
     */
    public Path fail(Path file, String name, String reason) throws IOException {
        Path failed = UniqueNames.place(failedDir(), UniqueNames.Name.of(name),
                UniqueNames.MAX_NAME_BYTES - ERROR_NOTE.length(), target -> {
                    // The note takes its name first (taken: the next variant), then its reason, then the file goes
                    // beside it: a note is seen without its file, never a file without its note.
                    Path note = note(target);
                    OutputStream out = Files.newOutputStream(note, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    try (out) {
                        out.write((reason + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // Made above, and left empty by a full disk: it would take the name of the next note.
                        Files.delete(note);
                        throw e;
                    }
                    try {
                        NoReplaceMoves.moveNew(file, target);
                    } catch (IOException e) {
                        Files.delete(note);
                        throw e;
                    }
                });
        LOG.info("Inbox file {} refused: {}", name, reason);
        return failed;
    }

    private static Path note(Path failed) {
        return failed.resolveSibling(failed.getFileName() + ERROR_NOTE);
    }

    /** Puts the original of a succeeded job in {@code .done/} under {@code name} (or a free variant). */
    public Path done(Path file, String name) throws IOException {
        Path done = UniqueNames.move(file, doneDir(), name);
        LOG.info("Inbox file {} is back in {}", name, done);
        return done;
    }
}
