package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.io.file.PathUtils;

/**
 * Paths inside a folder others may write in (the inbox), taken without following a link on the way: a folder swapped
 * for a link after it was looked at must not lead a move to a file outside, or a file into a folder outside.
 */
public final class LinkFreePaths {

    private LinkFreePaths() {
    }

    /**
     * Renames {@code base/relative} to {@code base/target} (a new name on the same file system), opening each folder
     * of both from {@code base} without following a link (a {@link SecureDirectoryStream}, as {@code openat} does), so
     * that a folder swapped for a link meanwhile fails to open rather than the move taking a file from wherever the
     * link points, or putting it there.
     *
     * @throws LinkOnTheWay when a folder on either way is a link
     */
    public static void moveOut(Path base, Path relative, Path target) throws IOException {
        boolean moved = throughHandles(base, (folder, way) -> {
            SecureDirectoryStream<Path> from = open(folder, relative.getParent(), way);
            SecureDirectoryStream<Path> into = open(folder, target.getParent(), way);
            from.move(relative.getFileName(), into, target.getFileName());
        });
        if (!moved) { // a platform without folder handles: the checks come just before the rename
            if (!real(base, relative.getParent()) || !real(base, target.getParent())) {
                throw new LinkOnTheWay(base.resolve(relative).toString());
            }
            Files.move(base.resolve(relative), base.resolve(target), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Removes the folder {@code base/relative} and everything in it, each folder opened from {@code base} without
     * following a link and each entry removed through its folder's handle ({@code unlinkat}): a folder swapped for a
     * link meanwhile, on the way or inside, is removed as the link, never what it points to.
     *
     * @throws LinkOnTheWay when a folder on the way to it, or it, is a link
     */
    public static void deleteTree(Path base, Path relative) throws IOException {
        remove(base, relative, true);
    }

    /**
     * Removes the folder {@code base/relative} and the folders in it, but no file, as {@link #deleteTree} removes
     * them: a folder that holds a file (or a link) stays, with the folders on the way to it.
     *
     * @return whether it is gone
     * @throws LinkOnTheWay when a folder on the way to it, or it, is a link
     */
    public static boolean deleteFolders(Path base, Path relative) throws IOException {
        try {
            remove(base, relative, false);
            return true;
        } catch (DirectoryNotEmptyException kept) {
            return false;
        }
    }

    private static void remove(Path base, Path relative, boolean files) throws IOException {
        boolean removed = throughHandles(base, (folder, way) -> {
            try {
                SecureDirectoryStream<Path> parent = open(folder, relative.getParent(), way);
                empty(open(parent, relative.getFileName(), way), files);
                parent.deleteDirectory(relative.getFileName());
            } catch (NoSuchFileException e) {
                // removed meanwhile, by another remover: gone all the same
            }
        });
        if (!removed) { // a platform without folder handles: the check comes just before the removal
            if (!real(base, relative)) {
                throw new LinkOnTheWay(base.resolve(relative).toString());
            }
            if (files) {
                PathUtils.deleteDirectory(base.resolve(relative));
            } else {
                try (Stream<Path> walk = Files.walk(base.resolve(relative))) {
                    for (Path folder : walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                            .sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(folder);
                    }
                }
            }
        }
    }

    /** What is done through the folder handles opened from {@code base}: {@code way} keeps each, closed after. */
    private interface Steps {
        void run(SecureDirectoryStream<Path> base, List<SecureDirectoryStream<Path>> way) throws IOException;
    }

    /** Runs {@code steps} on {@code base}'s handle; false, with nothing done, where the platform has no handles. */
    private static boolean throughHandles(Path base, Steps steps) throws IOException {
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(base)) {
            if (!(opened instanceof SecureDirectoryStream<Path> folder)) {
                return false;
            }
            List<SecureDirectoryStream<Path>> way = new ArrayList<>();
            try {
                steps.run(folder, way);
            } finally {
                for (SecureDirectoryStream<Path> step : way) {
                    step.close();
                }
            }
            return true;
        }
    }

    /**
     * Removes what an opened folder holds, through its handle: a link is removed as itself; without {@code files}, the
     * folders in it only, each left where it holds what is not a folder.
     */
    private static void empty(SecureDirectoryStream<Path> folder, boolean files) throws IOException {
        List<Path> names = new ArrayList<>();
        folder.forEach(entry -> names.add(entry.getFileName()));
        for (Path name : names) {
            try {
                if (folder.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes().isDirectory()) {
                    try (SecureDirectoryStream<Path> inner = folder.newDirectoryStream(name,
                            LinkOption.NOFOLLOW_LINKS)) {
                        empty(inner, files);
                    }
                    folder.deleteDirectory(name);
                } else if (files) {
                    folder.deleteFile(name);
                }
            } catch (NoSuchFileException e) {
                // removed meanwhile: gone all the same
            }
        }
    }

    /** The folder {@code relative} (null: {@code folder} itself) opened from {@code folder}, link by link refused. */
    private static SecureDirectoryStream<Path> open(SecureDirectoryStream<Path> folder, Path relative,
            List<SecureDirectoryStream<Path>> opened) throws IOException {
        SecureDirectoryStream<Path> at = folder;
        for (int i = 0; relative != null && i < relative.getNameCount(); i++) {
            Path name = relative.getName(i);
            try {
                at = at.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
                if (at.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes().isSymbolicLink()) {
                    throw new LinkOnTheWay(name.toString());
                }
                throw e;
            }
            opened.add(at);
        }
        return at;
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
