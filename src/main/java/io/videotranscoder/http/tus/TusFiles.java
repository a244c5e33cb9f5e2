package io.videotranscoder.http.tus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

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
    private final Duration expiry;

    /** @param expiry how long an upload lives after its last bytes: a file unwritten for longer has no upload */
    public TusFiles(Path dataRoot, TusStore store, Duration expiry) {
        this.folder = dataRoot.resolve(".tus");
        this.store = store;
        this.expiry = expiry;
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
     * Removes the bytes of every upload Redis no longer knows that nothing wrote for the uploads' expiry: it expired,
     * or it ended without a word (a crash). Its age is the proof, not the record alone: another deployment on this data
     * root (another key prefix) keeps records this one cannot see, and its uploads in progress are written within
     * their expiry.
     */
    public void sweep() throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        Instant before = Instant.now().minus(expiry);
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                String id = file.getFileName().toString();
                if (unwrittenSince(file, before) && store.find(id).isEmpty()) {
                    Files.deleteIfExists(file);
                    LOG.info("Removed the bytes of upload {}: it expired unfinished", id);
                }
            }
        }
    }

    private static boolean unwrittenSince(Path file, Instant before) throws IOException {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before);
        } catch (NoSuchFileException gone) {
            return false; // made a job, or terminated, meanwhile
        }
    }
}
