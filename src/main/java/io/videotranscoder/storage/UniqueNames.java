package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Places a file under a name that is free, never replacing one: {@code a.mp4}, then {@code a-1.mp4}, {@code a-2.mp4}.
 * Every name fits the file systems' limit of 255 bytes: a longer one loses the end of its stem, never its extension.
 */
public final class UniqueNames {

    /** The longest file name ext4, XFS, Btrfs and most others take, in bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** Longer "extensions" are a dot inside a long name, not a file type worth keeping. */
    private static final int MAX_EXTENSION_BYTES = 16;
    private static final int MAX_TRIES = 10_000;

    private UniqueNames() {
    }

    /** How a file is put at a name: each must fail with {@link FileAlreadyExistsException} when the name is taken. */
    @FunctionalInterface
    public interface Placement {
        void place(Path target) throws IOException;
    }

    /**
     * A name in parts: the {@code stem} is shortened to fit, {@code kept} (e.g. {@code -h264-720p}) and {@code ext}
     * never are; a collision suffix goes between them.
     */
    public record Name(String stem, String kept, String ext) {

        /** A file name split before its extension. */
        public static Name of(String name) {
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || utf8(name.substring(dot)) > MAX_EXTENSION_BYTES) {
                return new Name(name, "", "");
            }
            return new Name(name.substring(0, dot), "", name.substring(dot));
        }

        /** The {@code n}th candidate (0: no suffix), at most {@code maxBytes} long in UTF-8. */
        public String candidate(int n, int maxBytes) {
            String end = kept + (n == 0 ? "" : "-" + n) + ext;
            int room = maxBytes - utf8(end);
            if (room < 1) {
                throw new IllegalArgumentException("No room for a name ending in " + end);
            }
            return shorten(stem, room) + end;
        }
    }

    public static Path place(Path dir, String name, Placement placement) throws IOException {
        return place(dir, Name.of(name), MAX_NAME_BYTES, placement);
    }

    /** Places at the first free candidate of {@code name} no longer than {@code maxBytes}. */
    public static Path place(Path dir, Name name, int maxBytes, Placement placement) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < MAX_TRIES; i++) {
            Path target = dir.resolve(name.candidate(i, maxBytes));
            try {
                placement.place(target);
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next suffix
            }
        }
        throw new IOException("No free name for " + name.candidate(0, maxBytes) + " in " + dir);
    }

    /** A second name for the same file (no copy) where the file systems allow it, a copy otherwise. */
    public static Path linkOrCopy(Path file, Path dir, String name) throws IOException {
        return linkOrCopy(file, dir, Name.of(name));
    }

    public static Path linkOrCopy(Path file, Path dir, Name name) throws IOException {
        return place(dir, name, MAX_NAME_BYTES, target -> copyAs(file, target));
    }

    /**
     * A second name {@code target} for the file where the file systems allow it, a copy otherwise.
     *
     * @throws FileAlreadyExistsException when the name is taken
     */
    public static void copyAs(Path file, Path target) throws IOException {
        if (!linked(file, target)) {
            Files.copy(file, target);
        }
    }

    /**
     * Makes {@code target} a second name of {@code file}: false where the file systems cannot (another mount, a
     * folder), nothing made then.
     *
     * @throws FileAlreadyExistsException when the name is taken
     */
    static boolean linked(Path file, Path target) throws IOException {
        try {
            Files.createLink(target, file);
            return true;
        } catch (FileAlreadyExistsException taken) {
            throw taken;
        } catch (UnsupportedOperationException | FileSystemException otherFileSystem) {
            return false;
        }
    }

    /** Moves (renames) a file to a free name; a link is moved itself, never what it points to. */
    public static Path move(Path file, Path dir, String name) throws IOException {
        return move(file, dir, name, MAX_NAME_BYTES);
    }

    /** Moves to a free name of at most {@code maxBytes}, leaving room for a sibling's longer name. */
    public static Path move(Path file, Path dir, String name, int maxBytes) throws IOException {
        return place(dir, Name.of(name), maxBytes, target -> NoReplaceMoves.moveNew(file, target));
    }

    /** The longest start of {@code text} of at most {@code maxBytes} in UTF-8, never cutting a character. */
    static String shorten(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            bytes += utf8(Character.toString(codePoint));
            if (bytes > maxBytes) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
