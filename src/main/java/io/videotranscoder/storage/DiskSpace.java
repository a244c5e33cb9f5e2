package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.videotranscoder.http.ProblemException;

/** Admission control: no new work while the data root's free space is under the threshold. */
public class DiskSpace {

    private final Path root;
    private final long minFreeBytes;

    public DiskSpace(Path root, long minFreeBytes) {
        this.root = root;
        this.minFreeBytes = minFreeBytes;
    }

    public boolean low() {
        try {
            return Files.getFileStore(root).getUsableSpace() < minFreeBytes;
        } catch (IOException e) {
            return true; // cannot tell: do not take work that may not fit
        }
    }

    /** @throws ProblemException 507 while space is low */
    public void requireFree() {
        if (low()) {
            throw new ProblemException(507, "Insufficient storage", "The server is short of disk space (under "
                    + minFreeBytes / (1 << 20) + " MiB free); try again later.", null);
        }
    }
}
