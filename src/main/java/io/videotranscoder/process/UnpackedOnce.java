package io.videotranscoder.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.apache.commons.io.file.PathUtils;

/**
 * Executables shipped inside the jar (FFmpeg, Redis), unpacked once into a folder of the cache named by their version
 * and run from there by every later start. A folder is filled beside its final name and renamed into place, so a
 * start never sees half of one, and two starts at once both end with the same whole folder. Nothing is left in the
 * temporary folder, even by a process killed with SIGKILL (a JVM's delete-on-exit never runs then).
 */
public final class UnpackedOnce {

    /** What fills a new folder. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path folder) throws IOException;
    }

    private UnpackedOnce() {
    }

    /**
     * {@code folder}, filled by {@code contents} unless it already holds every one of {@code executables}.
     *
     * @return whether this call unpacked (false: the folder was already whole)
     * @throws StartRefusal when the folder cannot be written or is there without one of the executables
     */
    public static synchronized boolean ensure(Path folder, List<String> executables, Contents contents) {
        if (complete(folder, executables)) {
            return false;
        }
        Path parent = folder.toAbsolutePath().getParent();
        try {
            unpack(Files.createDirectories(parent), folder, contents);
        } catch (IOException e) {
            throw WritableFolder.refusal("Cannot unpack " + folder.getFileName() + " into the cache folder " + parent,
                    e, "TRANSCODER_CACHE_DIR");
        }
        if (!complete(folder, executables)) {
            throw new StartRefusal(folder + " lacks one of " + executables + ": delete it, and it is unpacked again.");
        }
        return true;
    }

    private static void unpack(Path parent, Path folder, Contents contents) throws IOException {
        Path staging = Files.createTempDirectory(parent, folder.getFileName() + "-unpack-");
        try {
            contents.writeInto(staging);
            try {
                Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Linux says ENOTEMPTY (a plain FileSystemException) when another process renamed its copy first.
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            }
        } finally {
            if (Files.exists(staging)) {
                PathUtils.deleteDirectory(staging);
            }
        }
    }

    /** Writes {@code in} to {@code file}, readable and executable by everyone, writable by its owner. */
    public static void copyExecutable(InputStream in, Path file) throws IOException {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean complete(Path folder, List<String> executables) {
        return executables.stream().allMatch(name -> Files.isExecutable(folder.resolve(name)));
    }
}
