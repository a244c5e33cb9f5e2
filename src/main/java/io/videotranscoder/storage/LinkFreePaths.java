package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;

/**
 * Paths inside a folder others may write in (the inbox), taken without following a link on the way: a folder swapped
 * for a link after it was looked at must not lead a move to a file outside, or a file into a folder outside.
 */
public final class LinkFreePaths {

    private LinkFreePaths() {
    }

    /**
     * Renames {@code base/relative} to {@code target} (a new name on the same file system), opening each folder of
     * {@code relative} from {@code base} without following a link (a {@link SecureDirectoryStream}, as {@code openat}
     * does), so that a folder swapped for a link meanwhile fails to open rather than the move taking a file from
     * wherever the link points.
     *
     * @throws java.nio.file.FileSystemException when a folder on the way is a link, or the file is gone
     */
    public static void moveOut(Path base, Path relative, Path target) throws IOException {
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(base);
             DirectoryStream<Path> into = Files.newDirectoryStream(target.getParent())) {
            if (!(opened instanceof SecureDirectoryStream<Path> folder)
                || !(into instanceof SecureDirectoryStream<Path> targetFolder)) {
                // A platform without folder handles: the check comes just before the rename.
                if (!real(base, relative.getParent())) {
                    throw new java.nio.file.FileSystemException(base.resolve(relative).toString(), null,
                            "a folder on the way is a link");
                }
                Files.move(base.resolve(relative), target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            move(folder, relative, targetFolder, target.getFileName());
        }
    }

    private static void move(SecureDirectoryStream<Path> folder, Path relative, SecureDirectoryStream<Path> into,
            Path name) throws IOException {
        if (relative.getNameCount() == 1) {
            folder.move(relative, into, name);
            return;
        }
        try (SecureDirectoryStream<Path> next = folder.newDirectoryStream(relative.getName(0),
                LinkOption.NOFOLLOW_LINKS)) {
            move(next, relative.subpath(1, relative.getNameCount()), into, name);
        }
    }

    /**
     * Whether no folder of {@code relativeFolder} under {@code base} is a link (one that does not exist yet is none):
     * a file put there lands inside {@code base}.
     */
    public static boolean real(Path base, Path relativeFolder) {
        Path at = base;
        for (int i = 0; relativeFolder != null && i < relativeFolder.getNameCount(); i++) {
            at = at.resolve(relativeFolder.getName(i));
            if (Files.isSymbolicLink(at) || Files.exists(at, LinkOption.NOFOLLOW_LINKS)
                                            && !Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }
}
