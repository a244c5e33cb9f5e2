package io.videotranscoder.inbox;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;

import io.videotranscoder.storage.DiskSpace;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inbox takes: visible files whose name is not a download in progress, once they have not changed for the
 * stable time. A file still being written is simply passed over and looked at again on the next poll.
 */
public class InboxFilter implements GenericFileFilter<Object> {

    private static final Set<String> PARTIAL = Set.of("part", "tmp", "crdownload", "partial", "download", "filepart");

    private static final Logger LOG = LoggerFactory.getLogger(InboxFilter.class);

    private final long stableMillis;
    private final DiskSpace disk;
    private final Clock clock;
    private volatile long warnedAt;

    public InboxFilter(long stableMillis, DiskSpace disk, Clock clock) {
        this.stableMillis = stableMillis;
        this.disk = disk;
        this.clock = clock;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        String name = file.getFileNameOnly();
        if (name.startsWith(".")) {
            return false; // hidden, and the inbox's own .claimed and .failed folders
        }
        if (file.isDirectory()) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && PARTIAL.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return false;
        }
        // Every write moves the modification time: unchanged for the stable time means size and content are too.
        if (file.getLastModified() > clock.millis() - stableMillis) {
            return false;
        }
        if (disk.low()) {
            if (clock.millis() - warnedAt > 60_000) {
                warnedAt = clock.millis();
                LOG.warn("Disk space is low: inbox files stay where they are until space is freed");
            }
            return false;
        }
        return true;
    }
}
