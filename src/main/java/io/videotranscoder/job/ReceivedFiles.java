package io.videotranscoder.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.videotranscoder.storage.UniqueNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file a submission received, in its new job's folder: moved in with a note of where it came from, which goes once
 * the job is recorded. Until then the file is the sender's: a submission that fails, or that a process died in
 * ({@link UnrecordedFolders}), gives it back there. The note names the deployment (its key prefix) whose submission
 * it is: another deployment on the same data root, which cannot see its record, leaves it alone.
 */
final class ReceivedFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivedFiles.class);
    /**
     * The note of where the input was received: the deployment's line ({@value #OWNER} and its key prefix; none in a
     * note an earlier version wrote), the input's name in the job's folder, then the path it came from.
     */
    private static final String RECEIVED = ".received";
    private static final String OWNER = "deployment ";

    private final JobFiles files;
    private final String owner;

    /** @param owner this deployment's key prefix */
    ReceivedFiles(JobFiles files, String owner) {
        this.files = files;
        this.owner = owner;
    }

    /** A note, read. */
    private record Note(String owner, String inputName, Path from) {

        static Note of(String text, String legacyOwner) {
            if (!text.startsWith(OWNER)) {
                String[] lines = text.split("\n", 2);
                return new Note(legacyOwner, lines[0], Path.of(lines[1]));
            }
            String[] lines = text.split("\n", 3);
            return new Note(lines[0].substring(OWNER.length()), lines[1], Path.of(lines[2]));
        }
    }

    /**
     * Moves (renames) a received file into a new job's folder, noting first where it came from: until the job is
     * {@link #recorded}, the file is given back there if the submission fails ({@link #giveBack}).
     */
    Path adopt(Path received, String id, String inputName) throws IOException {
        Path dir = Files.createDirectories(files.jobDir(id));
        Path target = dir.resolve(inputName);
        Files.writeString(dir.resolve(RECEIVED), OWNER + owner + "\n" + inputName + "\n" + received.toAbsolutePath(),
                StandardCharsets.UTF_8);
        JobFiles.move(received, target);
        return target;
    }

    /** The job is recorded: its input is the job's from now on. */
    void recorded(String id) throws IOException {
        Files.deleteIfExists(files.jobDir(id).resolve(RECEIVED));
    }

    /**
     * Whether the job's folder notes where its input was received by this deployment: its submission has not recorded
     * it (yet).
     */
    boolean received(String id) {
        return noted(id) && read(id).owner().equals(owner);
    }

    /** Whether the job's folder notes an input another deployment on this data root received: not this one's. */
    boolean receivedElsewhere(String id) {
        return noted(id) && !read(id).owner().equals(owner);
    }

    private boolean noted(String id) {
        return Files.isRegularFile(files.jobDir(id).resolve(RECEIVED), LinkOption.NOFOLLOW_LINKS);
    }

    /** The note; one that cannot be read (removed meanwhile) is this deployment's, as before notes named one. */
    private Note read(String id) {
        try {
            return Note.of(Files.readString(files.jobDir(id).resolve(RECEIVED), StandardCharsets.UTF_8), owner);
        } catch (IOException | RuntimeException e) {
            return new Note(owner, "", Path.of(""));
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
            Note read = Note.of(Files.readString(note, StandardCharsets.UTF_8), owner);
            Path input = files.jobDir(id).resolve(read.inputName());
            Path from = read.from();
            if (Files.exists(input, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(from.getParent());
                UniqueNames.moveNew(input, from);
                LOG.info("Job {} was not recorded: the file it received went back to {}", id, from);
            }
            Files.delete(note);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Job {} was not recorded, and the file it received could not go back: it stays in {} ({})", id,
                    files.jobDir(id), e.toString());
            return false;
        }
    }
}
