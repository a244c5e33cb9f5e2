package io.videotranscoder.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Places a file under a name that is free, never replacing one: {@code a.mp4}, then {@code a-1.mp4}, {@code a-2.mp4}. */
public final class UniqueNames {

    private static final int MAX_TRIES = 10_000;

    private UniqueNames() {
    }

    /** How a file is put at a name: each must fail with {@link FileAlreadyExistsException} when the name is taken. */
    @FunctionalInterface
    public interface Placement {
        void place(Path target) throws IOException;
    }

    public static Path place(Path dir, String name, Placement placement) throws IOException {
        Files.createDirectories(dir);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 0; i < MAX_TRIES; i++) {
            Path target = dir.resolve(i == 0 ? name : base + "-" + i + ext);
            try {
                placement.place(target);
                return target;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next suffix
            }
        }
        throw new IOException("No free name for " + name + " in " + dir);
    }

    /** A second name for the same file (no copy) where the file systems allow it, a copy otherwise. */
    public static Path linkOrCopy(Path file, Path dir, String name) throws IOException {
        return place(dir, name, target -> {
            try {
                Files.createLink(target, file);
            } catch (FileAlreadyExistsException taken) {
                throw taken;
            } catch (UnsupportedOperationException | FileSystemException otherFileSystem) {
                Files.copy(file, target);
            }
        });
    }

    /** Moves (renames) a file to a free name. */
    public static Path move(Path file, Path dir, String name) throws IOException {
        return place(dir, name, target -> Files.move(file, target));
    }
}
