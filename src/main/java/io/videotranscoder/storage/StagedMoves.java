package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Moves between two mounts, where a rename cannot go (the compose file mounts ./inbox and ./videos apart): a copy into
 * a hidden file beside the target, named as the target once whole, then the original removed. A process killed during
 * the copy leaves the original where it was and nothing under the target's name; {@link Files#move} would leave the
 * copy's start there, which the next attempt took for the whole file.
 */
public final class StagedMoves {

    /** The start of a staged copy's name: hidden, as the inbox ignores such files. */
    public static final String PREFIX = ".moving-";
    /** A staged copy's whole name: the prefix and a random UUID, a name no user's file is given. */
    static final Pattern NAME =
            Pattern.compile(Pattern.quote(PREFIX) + "\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");

    private StagedMoves() {
    }

    /** A new staged name in {@code dir}: a copy under it is swept once left unwritten ({@link StagedLeftovers}). */
    public static Path stagedName(Path dir) {
        return dir.resolve(PREFIX + UUID.randomUUID());
    }

    /** Whether a rename can move {@code file} into {@code folder}: the two are on one mount. */
    public static boolean sameMount(Path file, Path folder) throws IOException {
        return Files.getFileStore(file).equals(Files.getFileStore(folder));
    }

    /** Moves {@code file} to {@code target} on another mount, replacing a file there. */
    public static void moveReplacing(Path file, Path target) throws IOException {
        copyReplacing(file, target);
        Files.delete(file);
    }

    /**
     * Copies {@code file} to {@code target} (on another mount, or the same), replacing a file there, as a move would
     * but for the original, which stays.
     */
    public static void copyReplacing(Path file, Path target) throws IOException {
        copy(file, target, StagedMoves::copyWhole, staged -> Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING));
    }

    private static void copyWhole(Path from, Path to) throws IOException {
        Files.copy(from, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
    }

    /**
     * Moves {@code file} to {@code target} on another mount, where {@code naming} gives the whole copy the target's
     * name (and fails, the original kept, when it cannot).
     */
    static void move(Path file, Path target, UniqueNames.Placement naming) throws IOException {
        move(file, target, StagedMoves::copyWhole, naming);
    }

    /** A whole file's copy. */
    interface Copy {
        void copy(Path from, Path to) throws IOException;
    }

    /** The move, with {@code copy} to copy the file: the copy named, then the original removed. */
    static void move(Path file, Path target, Copy copy, UniqueNames.Placement naming) throws IOException {
        copy(file, target, copy, naming);
        Files.delete(file);
    }

    /**
     * A whole copy, named by {@code naming}. A file that changed while it was copied (a writer stalled past the inbox's
     * stable time, then went on) is not named: the copy may lack its end, and the writer, once done, may remove its own
     * source, leaving this file the only whole one.
     */
    private static void copy(Path file, Path target, Copy copy, UniqueNames.Placement naming) throws IOException {
        Path staged = stagedName(target.getParent());
        try {
            FileLook before = FileLook.of(file);
            copy.copy(file, staged);
            if (!before.equals(FileLook.of(file))) {
                throw new IOException(file + " changed while it was copied: it is still being written");
            }
            naming.place(staged);
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
