package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;

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
     * @throws LinkOnTheWay when a folder on the way is a link
     */
    public static void moveOut(Path base, Path relative, Path target) throws IOException {
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(base);
             DirectoryStream<Path> into = Files.newDirectoryStream(target.getParent())) {
            if (!(opened instanceof SecureDirectoryStream<Path> folder)
                || !(into instanceof SecureDirectoryStream<Path> targetFolder)) {
                // A platform without folder handles: the check comes just before the rename.
                if (!real(base, relative.getParent())) {
                    throw new LinkOnTheWay(base.resolve(relative).toString());
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
        SecureDirectoryStream<Path> next;
        try {
            next = folder.newDirectoryStream(relative.getName(0), LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            if (folder.getFileAttributeView(relative.getName(0), BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes().isSymbolicLink()) {
                throw new LinkOnTheWay(relative.getName(0).toString());
            }
            throw e;
        }
        try (next) {
            move(next, relative.subpath(1, relative.getNameCount()), into, name);
        }
    }

    /** A folder on the way to a file is a link, which is not followed. */
    public static final class LinkOnTheWay extends FileSystemException {

        LinkOnTheWay(String folder) {
            super(folder, null, "a link, not a folder: not followed");
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
