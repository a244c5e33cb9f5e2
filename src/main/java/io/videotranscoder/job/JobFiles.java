package io.videotranscoder.job;

import java.io.File;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.videotranscoder.storage.StagedMoves;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data root's layout. The server names every file: {@code <root>/<job id>/input.<ext>}, outputs beside it,
 * work in progress under {@code <root>/<job id>/.work/<attempt>/}, one folder per attempt so that an attempt that lost
 * the job never touches the files of the one that holds it. Only a job id (a UUID), an attempt token (hexadecimal)
 * and names chosen here become paths.
 */
public class JobFiles {

    private static final Logger LOG = LoggerFactory.getLogger(JobFiles.class);
    /** An attempt's token: the name of its work folder. */
    private static final Pattern ATTEMPT = Pattern.compile("[0-9a-f]{8,32}");
    private static final Set<String> INPUT_EXTENSIONS = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts",
            "m2ts", "mpg", "mpeg", "flv", "wmv", "3gp", "ogv", "mxf", "y4m", "gif", "dv", "vob");
    /** The note that the job's input is a copy ({@link #inputIsCopy}): a hidden file, never taken for an output. */
    public static final String COPY_NOTE = ".input-copy";

    private final Path root;

    public JobFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path jobDir(String id) {
        if (!JobIds.valid(id)) {
            throw new IllegalArgumentException("not a job id: " + id);
        }
        return root.resolve(id);
    }

    /**
     * Whether the job's input in its folder is a copy whose original its user's inbox keeps on its own mount (noted
     * beside it when it was received, for as long as the folder lives): the copy is never handed to the user.
     */
    public boolean inputIsCopy(String id) {
        return Files.exists(jobDir(id).resolve(COPY_NOTE), LinkOption.NOFOLLOW_LINKS);
    }

    /** Where every attempt of the job has its own work folder. */
    private Path workRoot(String id) {
        return jobDir(id).resolve(".work");
    }

    /** The work folder of one attempt of the job ({@code <attempt>}). */
    public Path workDir(String id, String attempt) {
        if (attempt == null || !ATTEMPT.matcher(attempt).matches()) {
            throw new IllegalArgumentException("not an attempt token: " + attempt);
        }
        return workRoot(id).resolve(attempt);
    }

    /** {@code input.<ext>}, keeping the client's extension only when it is a known video one. */
    public static String inputName(String originalName) {
        String ext = "bin";
        if (originalName != null) {
            int dot = originalName.lastIndexOf('.');
            String candidate = dot < 0 ? "" : originalName.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (INPUT_EXTENSIONS.contains(candidate)) {
                ext = candidate;
            }
        }
        return "input." + ext;
    }

    /**
     * Prepares the empty work folder of an attempt. What other attempts left is thrown away: the attempt asking holds
     * the job now, so any other attempt's files are a crash's leftovers or belong to a worker that lost the job (a
     * split job's join is an attempt of its own: a first join frozen past its check finds nothing left to publish over
     * the second's outputs).
     */
    public Path freshWorkDir(String id, String attempt) throws IOException {
        Path folder = workDir(id, attempt);
        FileTrees.delete(folder);
        deleteOtherAttempts(id, () -> attempt, Instant.MAX);
        return Files.createDirectories(folder);
    }

    /**
     * Removes what attempts other than the one that holds the job left in the work folder, where nothing in it changed
     * since {@code changedBefore}. Who holds the job is asked again before each removal ({@code current}; null: none
     * does, nothing is removed): one read before a long pause would name an attempt that has lost the job since, and
     * remove the work of the one that took it.
     *
     * @return how many folders (or files) were removed
     */
    public int deleteOtherAttempts(String id, Supplier<String> current, Instant changedBefore) throws IOException {
        Path root = workRoot(id);
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (var entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                if ((changedBefore.equals(Instant.MAX) || FileTrees.unchangedSince(entry, changedBefore))
                    && other(entry, current.get())
                    && (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? FileTrees.delete(entry)
                        : Files.deleteIfExists(entry))) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean other(Path entry, String current) {
        return current != null && !entry.getFileName().toString().equals(current);
    }

    /**
     * Moves every file of the attempt's work folder (but {@code skip}) into the job folder, replacing older copies.
     *
     * @return the files published, by name, in name order
     */
    public List<Job.Output> publishWork(String id, String attempt, Set<String> skip) throws IOException {
        List<Job.Output> outputs = new ArrayList<>();
        try (var files = Files.list(workDir(id, attempt))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (!skip.contains(name)) {
                    long size = Files.size(file);
                    move(file, jobDir(id).resolve(name));
                    outputs.add(new Job.Output(name, size));
                }
            }
        }
        return outputs;
    }

    /** The files of the attempt's work folder but {@code skip}, in name order. */
    public List<File> workFiles(String id, String attempt, Set<String> skip) throws IOException {
        try (var files = Files.list(workDir(id, attempt))) {
            return files.filter(Files::isRegularFile).filter(f -> !skip.contains(f.getFileName().toString())).sorted()
                    .map(Path::toFile).toList();
        }
    }

    public Path output(String id, String name) {
        Path file = jobDir(id).resolve(name).normalize();
        if (!file.getParent().equals(jobDir(id))) {
            throw new IllegalArgumentException("not a file of job " + id + ": " + name);
        }
        return file;
    }

    /** Removes an attempt's work folder, then the work root once no other attempt has one there. */
    public void deleteAttempt(String id, String attempt) {
        try {
            FileTrees.delete(workDir(id, attempt));
            Files.deleteIfExists(workRoot(id));
        } catch (DirectoryNotEmptyException e) {
            LOG.debug("Job {}: another attempt's work folder is still there", id);
        } catch (IOException e) {
            LOG.warn("Could not remove the work folder of job {}: {}", id, e.getMessage());
        }
    }

    /** Removes the work folders of every attempt: the job is over, or was handed back. */
    public void deleteWork(String id) {
        try {
            FileTrees.delete(workRoot(id));
        } catch (IOException e) {
            LOG.warn("Could not remove the work folder of job {}: {}", id, e.getMessage());
        }
    }

    public void deleteJob(String id) {
        try {
            removeJob(id);
        } catch (IOException e) {
            LOG.warn("Could not remove the folder of job {}: {}", id, e.getMessage());
        }
    }

    /** Removes the job's folder, or says why not: a removal that forgets the job must not leave its folder behind. */
    public void removeJob(String id) throws IOException {
        FileTrees.delete(jobDir(id));
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            LOG.warn("{} and {} are on different file systems: copying instead of renaming", from, to);
            StagedMoves.moveReplacing(from, to);
        }
    }
}
