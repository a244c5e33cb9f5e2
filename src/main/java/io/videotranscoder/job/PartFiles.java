package io.videotranscoder.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a split job's parts are on this worker: each part's encode in its own folder under the job's {@code .segments/}
 * (outside the attempts' {@code .work/}, which housekeeping prunes), and the stored parts in the job's
 * {@code parts/<split run>/} (the storage itself under the local data root; a scratch copy for the join where the
 * storage is an object store). Each run of the split has its own folder: parts of the same name from an earlier run
 * (the job retried and split anew, perhaps into other lengths), stored late, never replace the new run's.
 */
class PartFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartFiles.class);

    private final JobFiles files;

    PartFiles(JobFiles files) {
        this.files = files;
    }

    Path parts(String id) {
        return files.jobDir(id).resolve("parts");
    }

    /** The folder of the parts of split run {@code run}. */
    Path parts(String id, String run) {
        return parts(id).resolve(run);
    }

    /** A new, empty folder for one run of one part. */
    Path freshWork(String id, String token) throws IOException {
        Path work = files.jobDir(id).resolve(".segments").resolve(token);
        Files.createDirectories(work);
        return work;
    }

    void deleteWork(Path work) {
        delete(work);
    }

    /** Removes the parts and their encodes' folders: the job was joined, or ended without a join. */
    void deleteParts(String id) {
        delete(parts(id));
        delete(files.jobDir(id).resolve(".segments"));
    }

    private static void delete(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }
}
