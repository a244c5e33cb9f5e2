package io.videotranscoder.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.videotranscoder.storage.NoReplaceMoves;
import io.videotranscoder.storage.StagedMoves;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file a submission received, in its new job's folder: moved in with a note of where it came from, which goes once
 * the job is recorded. Until then the file is the sender's: a submission that fails, or that a process died in
 * ({@link UnrecordedFolders}), gives it back there. A file beside the note names the deployment (its key prefix) whose
 * submission it is: another deployment on the same data root, which cannot see its record, leaves it alone. (The note
 * keeps the format an earlier version reads: in a file of its own, the owner is one it never looks at.)
 */
final class ReceivedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedFiles.class);
    /** The note of where the input was received: its name in the job's folder, then the path it came from. */
    private static final String RECEIVED = ".received";
    /** The key prefix of the deployment whose submission it is; none beside a note an earlier version wrote. */
    private static final String OWNER = ".received-by";

    private final JobFiles files;
    private final String owner;

    /** @param owner this deployment's key prefix */
    ReceivedFiles(JobFiles files, String owner) {
        this.files = files;
        this.owner = owner;
    }

    /** Whose a job folder's received file is. */
    enum Whose {
        /** No note: nothing received, or the job recorded. */
        NONE,
        /** This deployment's submission, not recorded (yet). */
        MINE,
        /** Another deployment's on this data root, whose records this one cannot see. */
        ELSEWHERE
    }

    /**
     * Moves (renames) a received file into a new job's folder, or copies it there when the request asks so, noting
     * first where it came from: until the job is {@link #recorded}, the file is given back there if the submission
     * fails ({@link #giveBack}).
     */
    Path adopt(JobRequest request, String id, String inputName) throws IOException {
        Path received = request.file();
        Path dir = Files.createDirectories(files.jobDir(id));
        Path target = dir.resolve(inputName);
        Files.writeString(dir.resolve(OWNER), owner, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(RECEIVED), inputName + "\n" + received.toAbsolutePath(), StandardCharsets.UTF_8);
        if (request.copied()) { // after the note: a copy noted so without it is a recorded job's
            Files.writeString(dir.resolve(JobFiles.COPY_NOTE), "", StandardCharsets.UTF_8);
        }
        try {
            if (request.copied()) {
                StagedMoves.copyReplacing(received, target);
            } else {
                JobFiles.move(received, target);
            }
        } catch (IOException e) { // the file is where it was (changed while it was copied, or no room for it)
            if (giveBack(id)) {
                files.deleteJob(id);
            }
            throw e;
        }
        return target;
    }

    /** The job is recorded: its input is the job's from now on. */
    void recorded(String id) throws IOException {
        Files.deleteIfExists(files.jobDir(id).resolve(RECEIVED));
        Files.deleteIfExists(files.jobDir(id).resolve(OWNER));
    }

    /** Whether the job's folder notes where its input was received by this deployment: not recorded (yet). */
    boolean received(String id) {
        return whose(id) == Whose.MINE;
    }

    /**
     * Whose the job folder's received file is. A note without an owner (an earlier version's), or whose owner cannot
     * be read (removed meanwhile), is this deployment's, as every note was before owners were written.
     */
    Whose whose(String id) {
        Path dir = files.jobDir(id);
        if (!Files.isRegularFile(dir.resolve(RECEIVED), LinkOption.NOFOLLOW_LINKS)) {
            return Whose.NONE;
        }
        try {
            return Files.readString(dir.resolve(OWNER), StandardCharsets.UTF_8).equals(owner) ? Whose.MINE
                    : Whose.ELSEWHERE;
        } catch (IOException e) {
            return Whose.MINE;
        }
    }

    /**
     * Moves the file a submission that was not recorded received back where it came from (never over a file there).
     *
     * @return false when it could not go back: the job's folder holds it still
     */
    boolean giveBack(String id) {
        Path note = files.jobDir(id).resolve(RECEIVED);
        try {
            if (!Files.isRegularFile(note, LinkOption.NOFOLLOW_LINKS)) {
                return true; // recorded, or nothing received: a file streamed into the object store
            }
            String[] lines = Files.readString(note, StandardCharsets.UTF_8).split("\n", 2);
            Path input = files.jobDir(id).resolve(lines[0]);
            Path from = Path.of(lines[1]);
            if (files.inputIsCopy(id)) {
                // Its original is kept on its own mount, from where it goes back itself: the copy is never the user's.
                Files.deleteIfExists(input);
            } else if (Files.exists(input, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(from.getParent());
                NoReplaceMoves.moveNew(input, from);
                LOG.info("Job {} was not recorded: the file it received went back to {}", id, from);
            }
            // Before the note: a copy's note without the received note is a recorded job's, whose original stays kept.
            Files.deleteIfExists(files.jobDir(id).resolve(JobFiles.COPY_NOTE));
            Files.delete(note);
            Files.deleteIfExists(files.jobDir(id).resolve(OWNER));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Job {} was not recorded, and the file it received could not go back: it stays in {} ({})", id,
                    files.jobDir(id), e.toString());
            return false;
        }
    }
}
