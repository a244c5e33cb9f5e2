package io.videotranscoder.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A file system of a few KiB (a tmpfs) mounted on a folder, to see what a full disk does to the code that writes there.
 * Only where this process may mount one (root, as CI runs): elsewhere the test that asks for it is skipped, saying so.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    public static SmallDisk mount(Path dir, int kib) throws Exception {
        Files.createDirectories(dir);
        String said = run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString());
        Assumptions.assumeTrue(said == null, () -> "No small disk can be mounted here (it takes root): " + said);
        return new SmallDisk(dir);
    }

    /** Fills the disk: a file of as many bytes as it takes. */
    public void fill() {
        try (OutputStream out = Files.newOutputStream(dir.resolve(".filler"))) {
            byte[] block = new byte[1024];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // full
        }
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", dir.toString());
    }

    /** @return null when the command succeeded, what it said otherwise */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ended = process.waitFor(10, TimeUnit.SECONDS);
        return ended && process.exitValue() == 0 ? null : output.isEmpty() ? "exit " + process.exitValue() : output;
    }
}
