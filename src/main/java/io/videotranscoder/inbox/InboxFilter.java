package io.videotranscoder.inbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.videotranscoder.redis.Outage;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.FileLook;
import io.videotranscoder.storage.StagedMoves;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inbox takes: visible files whose name is not a download in progress, once they have not changed for the
 * stable time and were the same at the poll before. A file still being written is simply passed over and looked at
 * again on the next poll.
 * <p>
 * Nothing is looked at through a link: Camel's consumer (through {@link java.io.File#isDirectory()}) would walk into a
 * linked folder and claim the files of the folder it points to. A link to a folder, and anything that is neither a
 * file nor a folder (a pipe would block the reader), is left where it is; a link to a file is taken as the link
 * itself, which the claim refuses (the link, never its target, goes to {@code .failed/}).
 * <p>
 * While the disk is short of space, or Redis cannot be reached (a job could not be recorded), files stay where they
 * are, untouched, and are taken once that is over. A file whose name the file system's encoding cannot read stays too,
 * said once a minute.
 */
public class InboxFilter implements GenericFileFilter<Object> {

    private static final Set<String> PARTIAL = Set.of("part", "tmp", "crdownload", "partial", "download", "filepart");

    private static final Logger LOG = LoggerFactory.getLogger(InboxFilter.class);

    private final long stableMillis;
    private final DiskSpace disk;
    private final Runnable ping;
    private final Outage outage = new Outage(LOG, "the inbox");
    private final Clock clock;
    private final LastLooks looked = new LastLooks();
    private final Path dataDir;
    private volatile Boolean copies;
    private final Rare room = new Rare();
    private final Rare link = new Rare();
    private final Rare unreadable = new Rare();

    /**
     * @param dataDir where jobs' folders are: a file is copied there (room needed) from an inbox on another mount
     * @param ping    reaches Redis, or throws
     */
    public InboxFilter(long stableMillis, DiskSpace disk, Path dataDir, Runnable ping, Clock clock) {
        this.stableMillis = stableMillis;
        this.dataDir = dataDir;
        this.disk = disk;
        this.ping = ping;
        this.clock = clock;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        Path path = path(file);
        String name = path.getFileName().toString();
        if (name.startsWith(".")) {
            return false; // hidden, and the inbox's own .claimed and .failed folders
        }
        BasicFileAttributes seen;
        try {
            seen = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            if (name.indexOf('\uFFFD') >= 0) { // bytes that are no character in the file system's encoding
                unreadable.warn("Inbox file {} cannot be opened by its name, which is not valid UTF-8 (written by a"
                                + " tool of another encoding): it stays where it is; rename it",
                        file.getRelativeFilePath());
            }
            return false; // taken by another instance meanwhile
        }
        if (seen.isDirectory()) {
            return true;
        }
        if (seen.isSymbolicLink() && file.isDirectory()) {
            link.warn("Inbox folder {} is a link: the inbox never follows links, so it is left alone",
                    file.getRelativeFilePath());
            return false;
        }
        if (seen.isOther()) {
            return false;
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && PARTIAL.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return false;
        }
        // Every write moves the modification time: unchanged for the stable time means size and content are too. And
        // the same size and time as at the last look: on a network share whose clock is behind this host's, a file
        // being written has a time long past.
        boolean unchanged = looked.sameAsBefore(path, seen, clock.millis());
        if (file.getLastModified() > clock.millis() - stableMillis || !unchanged) {
            return false;
        }
        if (disk.low()) {
            room.warn("Disk space is low: inbox files stay where they are until space is freed");
            return false;
        }
        if (copied(path) && !disk.hasRoomFor(seen.size())) {
            // Its copy would fail for want of space, and the file come back to fail again, filling the disk each time.
            room.warn("Inbox file {} ({} MiB) is larger than the free space: it stays where it is until space is freed",
                    file.getRelativeFilePath(), seen.size() >> 20);
            return false;
        }
        return redisReachable();
    }

    /** Whether taking {@code file} copies it into the data folder, on another mount than the inbox's. */
    private boolean copied(Path file) {
        if (copies == null) {
            try {
                copies = !StagedMoves.sameMount(file, Files.createDirectories(dataDir));
            } catch (IOException e) {
                return false; // the copy says what is wrong
            }
        }
        return copies;
    }

    /**
     * The size and modification time each file had at the last look. The files still in the inbox are looked at every
     * poll, however many there are; those not seen for ten minutes (taken, or removed) are forgotten.
     */
    private static final class LastLooks {

        private static final long FORGET_MILLIS = 600_000;
        private final Map<Path, Seen> seen = new ConcurrentHashMap<>();
        private volatile long sweptAt;

        private record Seen(FileLook look, long at) {
        }

        /** Whether {@code file} looks as it did at the last look (never, at the first). */
        boolean sameAsBefore(Path file, BasicFileAttributes now, long at) {
            FileLook look = FileLook.of(now);
            Seen before = seen.put(file, new Seen(look, at));
            if (at - sweptAt > FORGET_MILLIS) {
                sweptAt = at;
                seen.values().removeIf(old -> at - old.at() > FORGET_MILLIS);
            }
            return before != null && before.look().equals(look);
        }
    }

    /**
     * The polled file as the file system names it. The file component's own paths turn each backslash of a name into
     * a separator on Linux, so a file named {@code x\..\..\y} in a folder {@code x} would lead out of the inbox.
     */
    static Path path(GenericFile<?> file) {
        return ((File) file.getFile()).toPath().toAbsolutePath().normalize();
    }

    private boolean redisReachable() {
        try {
            ping.run();
            outage.reached();
            return true;
        } catch (RuntimeException e) {
            outage.failed(e);
            return false;
        }
    }

    /** A warning said at most once a minute: the inbox is polled several times a second. */
    private final class Rare {

        private volatile long saidAt = Long.MIN_VALUE;

        void warn(String format, Object... args) {
            long now = clock.millis();
            if (saidAt == Long.MIN_VALUE || now - saidAt > 60_000) {
                saidAt = now;
                LOG.warn(format, args);
            }
        }
    }
}
