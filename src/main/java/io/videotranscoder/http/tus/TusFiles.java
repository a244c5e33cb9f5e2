package io.videotranscoder.http.tus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of resumable uploads: one file per upload in the data root's {@code .tus} folder (on the file system of
 * the jobs' folders, so that a complete upload becomes a job's input by a rename). Housekeeping removes the files of
 * uploads that expired or were abandoned by a crash.
 */
public class TusFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TusFiles.class);

    private final Path folder;
    private final TusStore store;

    public TusFiles(Path dataRoot, TusStore store) {
        this.folder = dataRoot.resolve(".tus");
        this.store = store;
    }

    /** Where the upload {@code id} (a server-made UUID) keeps its bytes. */
    public Path file(String id) {
        return folder.resolve(id);
    }

    public Path create(String id) throws IOException {
        Files.createDirectories(folder);
        return Files.createFile(file(id));
    }

    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    /**
     * Removes the bytes of every upload Redis no longer knows: it expired, or it ended without a word (a crash). An
     * upload's record is made before its file and removed before it, so a file without a record is never one that is
     * still wanted.
     */
    public void sweep() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String id = file.getFileName().toString();
                if (store.find(id).isEmpty()) {
                    Files.deleteIfExists(file);
                    LOG.info("Removed the bytes of upload {}: it expired unfinished", id);
                }
            }
        }
    }
}
