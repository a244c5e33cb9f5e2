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
     * Makes {@code dir} sticky where others may write in it; warns where it cannot be (another user's folder, a file
     * system that refuses the change).
     *
     * @return whether {@code dir} is sticky, or writable by its owner alone
     */
    public static boolean guard(Path dir) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(dir, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true; // no Unix modes here (another file system): nothing to set
        }
        if ((mode & OTHERS_MAY_WRITE) == 0 || (mode & STICKY) != 0) {
            return true;
        }
        try {
            Files.setAttribute(dir, "unix:mode", mode | STICKY);
        } catch (IOException e) {
            LOG.warn("{} is writable by other users and not sticky, and the service cannot make it so ({}): run chmod"
                     + " +t on it, or any of them could rename the service's own folders in it while it works"
                     + " through them", dir, e.getMessage());
            return false;
        }
        LOG.info("{} is writable by other users: made sticky (chmod +t), so that each may rename or remove only their"
                 + " own files in it", dir);
        return true;
    }
}
