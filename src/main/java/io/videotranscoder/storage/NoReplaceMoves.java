package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Moves that never replace a file at their target, even one made a moment before: {@link Files#move} checks, then
 * renames, and a rename replaces. {@link UniqueNames} picks the free name; these put a file there.
 */
public final class NoReplaceMoves {

    private NoReplaceMoves() {
    }

    /**
     * Moves a file to {@code target}, never over a file there, even one made a moment before ({@link Files#move}
     * checks, then renames, and a rename replaces): a second name is made for it, which fails if the name is taken,
     * and the first goes. Across mounts the move is a staged copy ({@link StagedMoves}), named the same way. A move
     * cut short between the two (a process killed) is finished by the next one, rather than making a duplicate. A
     * folder, or a file the service may not link (another user's), is renamed to a name taken first
     * ({@link #renameNew}).
     *
     * @throws FileAlreadyExistsException when another file is at {@code target}
     * @throws NoSuchFileException         when the file is gone, moved elsewhere meanwhile by another mover
     */
    public static void moveNew(Path file, Path target) throws IOException {
        int links = links(file); // its user may have given it other names: they are not this move's
        try {
            if (!UniqueNames.linked(file, target)) {
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    || StagedMoves.sameMount(file, target.getParent())) {
                    renameNew(file, target); // a folder, or a file the service may not link (another user's)
                } else {
                    StagedMoves.move(file, target, staged -> moveNew(staged, target));
                }
                return;
            }
        } catch (FileAlreadyExistsException taken) {
            if (sameEntry(file, target)) { // linked there by another mover, or by this one before it was stopped
                Files.delete(file);
                return;
            }
            throw taken;
        }
        dropFirstName(file, target, links);
    }

    /**
     * Renames {@code file} to {@code target} on its mount, never over a file there: the name is taken first (an empty
     * file or folder made new, which fails if the name is taken), then the rename replaces that alone. {@link
     * Files#move} checks, then renames, and another mover's file placed between the two was replaced. A move killed
     * between the two leaves the empty placeholder (the next takes another name), never a file replaced.
     *
     * @throws FileAlreadyExistsException when another file is at {@code target}
     */
    static void renameNew(Path file, Path target) throws IOException {
        boolean folder = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
        if (folder) {
            Files.createDirectory(target);
        } else {
            Files.createFile(target);
        }
        Object placeholder = key(target);
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // The placeholder goes, if it is still there: a rename that failed as it was answered (a network file
            // system's reply lost and the request sent again) may have put the file there.
            if (placeholder != null && placeholder.equals(key(target))) {
                Files.delete(target);
            }
            throw e;
        }
    }

    /** What the file system knows {@code path}'s file by (its inode), not followed if a link; null if gone. */
    private static Object key(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException gone) {
            return null;
        }
    }

    /**
     * The second step of a move by links, {@code file} linked at {@code target}: the first name goes. When another
     * mover took it away first, the file was moved elsewhere (it has more names than its {@code links} before the
     * move, and this second name goes too), or to this very name, which stays.
     */
    static void dropFirstName(Path file, Path target, int links) throws IOException {
        try {
            Files.delete(file);
        } catch (NoSuchFileException movedMeanwhile) {
            if (links(target) > links) {
                Files.delete(target); // no second name is left behind
                throw movedMeanwhile;
            }
        }
    }

    private static int links(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether the two names are one file, neither followed should it be a link (a link to a file is not the file). */
    private static boolean sameEntry(Path a, Path b) throws IOException {
        Object key = Files.readAttributes(a, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        return key != null && key.equals(Files.readAttributes(b, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey());
    }
}
