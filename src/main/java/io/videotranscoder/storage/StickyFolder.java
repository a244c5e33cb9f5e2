package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder other users may write in (an inbox shared by a group) is made sticky, as {@code /tmp} is: each may then
 * rename or remove only what they own there. Without it, a user could rename the service's own folders in it (its
 * claims, its results' folders) and put a link in their place while the service works through them by path.
 */
public final class StickyFolder {

    private static final Logger LOG = LoggerFactory.getLogger(StickyFolder.class);
    private static final int OTHERS_MAY_WRITE = 0022;
    private static final int STICKY = 01000;

    private StickyFolder() {
    }

    /**
     * Makes {@code dir} sticky where others may write in it and the service owns it; warns where it cannot.
     *
     * @return whether {@code dir} is sticky, or writable by its owner alone
     */
    public static boolean guard(Path dir) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(dir, "unix:mode");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return true; // no Unix modes here (another file system): nothing to set
        }
        if ((mode & OTHERS_MAY_WRITE) == 0 || (mode & STICKY) != 0) {
            return true;
        }
        if (!Files.getAttribute(dir, "unix:uid").equals(ownUid(dir))) {
            LOG.warn("{} is writable by other users, is not sticky, and belongs to another user, so the service cannot"
                     + " make it sticky: run chmod +t on it, or any of them could rename the service's own folders in"
                     + " it while it works through them", dir);
            return false;
        }
        Files.setAttribute(dir, "unix:mode", mode | STICKY);
        LOG.info("{} is writable by other users: made sticky (chmod +t), so that each may rename or remove only their"
                 + " own files in it", dir);
        return true;
    }

    /** The user this process writes files as: the owner of a file it makes in {@code dir}. */
    private static Object ownUid(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".owner-check-", "");
        try {
            return Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.delete(probe);
        }
    }
}
