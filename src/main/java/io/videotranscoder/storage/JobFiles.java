package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobIds;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data root's layout. The server names every file: {@code <root>/<job id>/input.<ext>}, outputs beside it,
 * work in progress under {@code <root>/<job id>/.work/}. Only a job id (a UUID) and names chosen here become paths.
 */
public class JobFiles {

    private static final Logger LOG = LoggerFactory.getLogger(JobFiles.class);
    private static final Set<String> INPUT_EXTENSIONS = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "ts", "mts",
            "m2ts", "mpg", "mpeg", "flv", "wmv", "3gp", "ogv", "mxf", "y4m", "gif", "dv", "vob");

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

    public Path workDir(String id) {
        return jobDir(id).resolve(".work");
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

    /** Moves (renames) a received file into a new job's folder. */
    public Path adopt(Path received, String id, String inputName) throws IOException {
        Path dir = Files.createDirectories(jobDir(id));
        Path target = dir.resolve(inputName);
        move(received, target);
        return target;
    }

    /** Prepares an empty work folder: whatever an interrupted earlier attempt left there is thrown away. */
    public Path freshWorkDir(String id) throws IOException {
        Path work = workDir(id);
        deleteTree(work);
        return Files.createDirectories(work);
    }

    /**
     * Moves every file of the work folder (but {@code skip}) into the job folder, replacing older copies.
     *
     * @return the files published, by name, in name order
     */
    public List<Job.Output> publishWork(String id, Set<String> skip) throws IOException {
        List<Job.Output> outputs = new ArrayList<>();
        try (var files = Files.list(workDir(id))) {
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

    public Path output(String id, String name) {
        Path file = jobDir(id).resolve(name).normalize();
        if (!file.getParent().equals(jobDir(id))) {
            throw new IllegalArgumentException("not a file of job " + id + ": " + name);
        }
        return file;
    }

    public void deleteWork(String id) {
        try {
            deleteTree(workDir(id));
        } catch (IOException e) {
            LOG.warn("Could not remove the work folder of job {}: {}", id, e.getMessage());
        }
    }

    public void deleteJob(String id) {
        try {
            deleteTree(jobDir(id));
        } catch (IOException e) {
            LOG.warn("Could not remove the folder of job {}: {}", id, e.getMessage());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            LOG.warn("{} and {} are on different file systems: copying instead of renaming", from, to);
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            PathUtils.deleteDirectory(dir);
        }
    }
}
