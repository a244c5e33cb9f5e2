package io.videotranscoder.process;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder the service must write in (its data root, its cache), checked at start: one that cannot be written stops
 * the start with one line naming the folder, the reason and the setting to change, rather than failing every upload
 * or job later.
 */
public final class WritableFolder {

    private WritableFolder() {
    }

    /**
     * {@code dir}, created if missing, once a file could be written and deleted in it.
     *
     * @param setting the environment variable that chooses the folder
     * @throws StartRefusal when it cannot be
     */
    public static Path require(Path dir, String setting) {
        try {
            Files.delete(Files.createTempFile(Files.createDirectories(dir), ".write-check-", ""));
            return dir;
        } catch (IOException e) {
            throw refusal("Cannot write in " + dir.toAbsolutePath(), e, setting);
        }
    }

    /** The refusal to start for a folder that cannot be written: {@code what} failed, why, and what to set. */
    static StartRefusal refusal(String what, IOException e, String setting) {
        return new StartRefusal(what + " (" + reason(e) + "): set " + setting + " to a folder the service may write.");
    }

    /** What went wrong, in the system's words ("Permission denied", "No space left on device", ...). */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " is a file, not a folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
