package io.videotranscoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/** Folder trees of the data root, removed while another process or thread may be removing them too. */
final class FileTrees {

    private FileTrees() {
    }

    /** Whether the entry was last changed before {@code limit}; false once it is gone. */
    static boolean changedBefore(Path entry, Instant limit) throws IOException {
        try {
            return Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(limit);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Whether nothing in the tree (the entry, and each file and folder in it) was changed since {@code limit}: a
     * folder's own time does not move while a program rewrites the files already in it. False once it is gone.
     */
    static boolean unchangedSince(Path tree, Instant limit) throws IOException {
        try (var entries = Files.walk(tree)) {
            return entries.allMatch(entry -> {
                try {
                    return changedBefore(entry, limit);
                } catch (IOException e) {
                    return false; // unreadable: kept
                }
            });
        } catch (NoSuchFileException | UncheckedIOException e) {
            return false; // gone, or changing, meanwhile
        }
    }

    /**
     * Removes the folder and everything in it, links not followed, while another remover may be at it too (an attempt
     * that takes a job over clears the other attempts' folders, as housekeeping does): what the other removed first
     * is gone all the same.
     *
     * @return whether this call removed the folder itself
     */
    static boolean delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                return gone(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                if (e != null) {
                    gone(e);
                }
                if (!folder.equals(dir)) {
                    Files.deleteIfExists(folder);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return Files.deleteIfExists(dir);
    }

    /** Goes on past what another remover removed first; any other failure stands. */
    private static FileVisitResult gone(IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw e;
    }
}
