package io.videotranscoder.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * The data root as storage: a key is a file under it. Files are moved in and out by the job's own code (renames), and
 * removed with the job's folder, so that this adds nothing to what the local layout always did.
 */
public class LocalStorage implements Storage {

    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public String outputKey(String jobId, String attempt, String name) {
        return null;
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path(key), BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new StoredObject(attributes.size(), attributes.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> file(String key) {
        return Optional.of(path(key));
    }

    @Override
    public URI presign(String key, String contentType, String disposition) {
        throw new UnsupportedOperationException("local files are not presigned");
    }

    @Override
    public void copy(String key, Path target) throws IOException {
        UniqueNames.copyAs(path(key), target);
    }

    @Override
    public void deleteJob(String jobId) {
        // the job's folder, removed by JobFiles
    }

    @Override
    public void deleteAttempt(String jobId, String attempt) {
        // published into the job's folder, which went with the job: a publish after it fails for want of its files
    }

    @Override
    public void deleteOtherAttempts(String jobId, String kept) {
        // attempts' work folders, removed by JobFiles
    }

    @Override
    public void deleteParts(String jobId) {
        // the job's parts folder, removed by PartFiles
    }

    @Override
    public PartedUpload partedUpload(String key) {
        throw new UnsupportedOperationException("the local data root takes uploads as files");
    }

    @Override
    public int abortUploadsBegunBefore(Instant before) {
        return 0; // uploads become files under .uploads, removed by the HTTP server and housekeeping
    }

    /** The file of a key, never outside the root. */
    private Path path(String key) {
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("not a key under the data root: " + key);
        }
        return file;
    }
}
