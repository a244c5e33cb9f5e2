package io.videotranscoder.inbox;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * What the inbox takes: visible files whose name is not a download in progress, once they have not changed for the
 * stable time. A file still being written is simply passed over and looked at again on the next poll.
 */
public class InboxFilter implements GenericFileFilter<Object> {

    private static final Set<String> PARTIAL = Set.of("part", "tmp", "crdownload", "partial", "download", "filepart");

    private final long stableMillis;
    private final Clock clock;

    public InboxFilter(long stableMillis, Clock clock) {
        this.stableMillis = stableMillis;
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
        return file.getLastModified() <= clock.millis() - stableMillis;
    }
}
