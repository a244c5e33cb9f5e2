package io.videotranscoder.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.process.ChildProcess;
import io.videotranscoder.process.StartRefusal;
import org.apache.camel.Message;
import org.apache.camel.component.exec.ExecBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How FFmpeg and ffprobe are started: with an environment of their own, nothing of the service's (its object store's
 * and webhooks' secrets, its admin key) but glibc's allocator set for them ({@link #ALLOCATOR}), in a session of their
 * own, which a terminal's signals do not reach ({@link ChildProcess#ownSession}), with an address-space limit
 * ({@code prlimit --as}), in a network namespace of their own with nothing but a loopback that is down
 * ({@code unshare --net}), and dying with the thread that started them ({@code setpriv --pdeathsig KILL}, last, since
 * gaining capabilities in a new user namespace clears it). Each wrapper execs the next, so the process camel-exec
 * waits for and signals is FFmpeg itself.
 *
 * <p>The namespace is the network boundary: the demuxer and protocol whitelists keep FFmpeg from following
 * references inside a file, and this keeps any path we did not think of from reaching a network at all.
 */
public final class FfmpegSandbox {

    /** Whether FFmpeg must run without network: {@code auto} where the system allows it, or always, or never. */
    public enum Isolation { AUTO, REQUIRED, OFF }

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSandbox.class);
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final Path ENV = Path.of("/usr/bin/env");
    /** Where a program started by name is looked for: every program here is started by its whole path. */
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /**
     * glibc's allocator for FFmpeg and ffprobe: transparent huge pages for its heaps, blocks up to 32 MiB (frames,
     * packets) taken from the heap and kept there once freed, instead of mapped and unmapped for each. A process
     * takes half to two thirds fewer page faults: ffprobe needs about half the CPU, a short encode a third less, a
     * long one about the same, with 12-22 % more resident memory at its peak (bench/README.md).
     */
    static final String ALLOCATOR = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432"
                                    + ":glibc.malloc.trim_threshold=268435456";

    private final List<String> prefix;
    private final boolean networkIsolated;

    private FfmpegSandbox(List<String> prefix, boolean networkIsolated) {
        this.prefix = List.copyOf(prefix);
        this.networkIsolated = networkIsolated;
    }

    /**
     * Finds what this system allows by starting {@code program -version} through each candidate.
     *
     * @param memoryBytes the address space each process may map; 0 for no limit
     * @throws IllegalStateException when isolation is required and this system cannot provide it
     */
    public static FfmpegSandbox detect(Path program, Isolation isolation, long memoryBytes) {
        List<String> outer = new ArrayList<>(environment(System.getenv("GLIBC_TUNABLES")));
        outer.addAll(ChildProcess.ownSession()); // then the memory limit
        if (memoryBytes > 0 && Files.isExecutable(PRLIMIT)) {
            outer.addAll(List.of(PRLIMIT.toString(), "--as=" + memoryBytes, "--"));
        } else if (memoryBytes > 0) {
            LOG.warn("{} is missing: FFmpeg runs without a memory limit", PRLIMIT);
        }
        List<String> deathSignal = ChildProcess.deathSignal();
        if (isolation != Isolation.OFF && Files.isExecutable(UNSHARE)) {
            // As root a network namespace needs nothing more; as anyone else, a user namespace of its own.
            for (List<String> unshare : List.of(List.of(UNSHARE.toString(), "--net", "--"),
                    List.of(UNSHARE.toString(), "--net", "--map-root-user", "--"))) {
                List<String> candidate = join(outer, unshare, deathSignal);
                if (starts(candidate, program)) {
                    LOG.info("FFmpeg runs without network ({}){}", String.join(" ", unshare.subList(1,
                            unshare.size() - 1)), memoryBytes > 0 ? " and with at most " + memoryBytes / (1 << 20)
                            + " MiB of address space" : "");
                    return new FfmpegSandbox(candidate, true);
                }
            }
        }
        if (isolation == Isolation.REQUIRED) {
            throw new IllegalStateException("TRANSCODER_FFMPEG_NETWORK=required, but this system does not let "
                    + UNSHARE + " create a network namespace (in a container: allow user namespaces, e.g. with a"
                    + " seccomp profile that permits unshare)");
        }
        if (isolation == Isolation.AUTO) {
            LOG.warn("FFmpeg runs WITH network access: this system does not allow a network namespace. The demuxer"
                     + " and protocol whitelists still apply; set TRANSCODER_FFMPEG_NETWORK=required to refuse to"
                     + " start instead");
        }
        return new FfmpegSandbox(join(outer, List.of(), deathSignal), false);
    }

    /**
     * The rest of the command line's environment, emptied first: a decoder's flaw reached through an uploaded file
     * finds none of the service's secrets there. It holds a path and the allocator's settings (the service's own
     * {@code tunables}, where it was given some).
     */
    static List<String> environment(String tunables) {
        return !Files.isExecutable(ENV) ? List.of() : List.of(ENV.toString(), "-i", "PATH=" + PATH,
                "GLIBC_TUNABLES=" + (tunables != null ? tunables : ALLOCATOR));
    }

    /** Parses {@code auto}, {@code required} or {@code off}. */
    public static Isolation isolation(String value) {
        try {
            return Isolation.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StartRefusal("TRANSCODER_FFMPEG_NETWORK must be auto, required or off, not " + value);
        }
    }

    public boolean networkIsolated() {
        return networkIsolated;
    }

    /** The executable camel-exec starts. */
    public String executable(Path program) {
        return prefix.isEmpty() ? program.toString() : prefix.get(0);
    }

    /** The arguments that go with {@link #executable(Path)}. */
    public List<String> arguments(Path program, List<String> args) {
        List<String> all = new ArrayList<>();
        if (!prefix.isEmpty()) {
            all.addAll(prefix.subList(1, prefix.size()));
            all.add(program.toString());
        }
        all.addAll(args);
        return all;
    }

    /**
     * Readies camel-exec's next call on {@code message}, the one place an exec command is built: the program in this
     * sandbox (without network, within a memory limit, dying with the route's thread, on a kill -9 of this JVM too),
     * its working folder and its time limit.
     */
    public void ready(Message message, Path program, List<String> args, Path workDir, Duration timeout) {
        message.setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, executable(program));
        message.setHeader(ExecBinding.EXEC_COMMAND_ARGS, arguments(program, args));
        message.setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, workDir.toString());
        message.setHeader(ExecBinding.EXEC_COMMAND_TIMEOUT, timeout.toMillis());
    }

    private static List<String> join(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    private static boolean starts(List<String> prefix, Path program) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(program.toString(), "-hide_banner", "-version"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
