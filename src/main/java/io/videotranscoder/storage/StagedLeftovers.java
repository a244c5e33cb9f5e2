package io.videotranscoder.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staged copies ({@link StagedMoves}) a process killed mid-copy left in the folders where users' files arrive and
 * leave (the inbox's, the outbox): hidden files (or folders, an HLS result's) no one will name, which hold their bytes
 * for ever. Housekeeping removes those unwritten for an hour; a copy under way is written to all the time.
 */
public final class StagedLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(StagedLeftovers.class);
    static final Duration AGE = Duration.ofHours(1);
    /** The inbox's folders, their results' and failures' folders, and some of the users' own below them. */
    private static final int DEPTH = 8;

    private final List<Path> folders;
    private final Clock clock;

    public StagedLeftovers(List<Path> folders, Clock clock) {
        this.folders = List.copyOf(folders);
        this.clock = clock;
    }

    /** @return how many were removed */
    public int sweep() throws IOException {
        Instant before = clock.instant().minus(AGE);
        int removed = 0;
        for (Path folder : folders) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            List<Path> left;
            try (Stream<Path> files = Files.walk(folder, DEPTH)) {
                left = files.filter(file -> StagedMoves.NAME.matcher(file.getFileName().toString()).matches())
                        .filter(file -> unwrittenSince(file, before)).toList();
            } catch (UncheckedIOException e) {
                LOG.debug("Could not look through {} for staged copies: {}", folder, e.getMessage());
                continue; // a folder removed or unreadable meanwhile: the next run looks again
            }
            for (Path file : left) {
                try {
                    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                        // Through folder handles: one swapped for a link meanwhile is removed as the link.
                        LinkFreePaths.deleteTree(folder, folder.relativize(file));
                    } else if (!Files.deleteIfExists(file)) {
                        continue;
                    }
                } catch (IOException e) {
                    LOG.debug("Could not remove {}: {}", file, e.toString());
                    continue; // removed or written meanwhile: the next run looks again
                }
                removed++;
                LOG.info("Removed {}, a copy a stopped process left unfinished", file);
            }
        }
        return removed;
    }

    private static boolean unwrittenSince(Path file, Instant before) {
        try {
            return (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS))
                   && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)
                   && changed(file).isBefore(before);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /**
     * When the file's inode last changed: a second name made for an old file (a result linked into the outbox, a moment
     * before it is named) changes it, and keeps the file's old modification time.
     */
    private static Instant changed(Path file) throws IOException {
        try {
            return ((FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return Instant.MIN;
        }
    }
}
