package io.videotranscoder.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Processes held where they are with SIGSTOP, as a frozen machine would hold them, so that a test can act while an
 * encode is known to be unfinished without encoding long clips to make that likely. Reads Linux's {@code /proc}.
 */
public final class Frozen {

    private Frozen() {
    }

    /**
     * The FFmpeg encodes of job {@code id} under {@code parent} (their arguments name the job and a progress file)
     * whose arguments hold {@code mark} too ({@code ""} for any), stopped while they run; none when none runs, or when
     * one ended before it stopped.
     */
    public static List<ProcessHandle> encodes(ProcessHandle parent, String id, String mark) throws Exception {
        List<ProcessHandle> encodes = running(parent, id, mark);
        return !encodes.isEmpty() && freeze(encodes) ? encodes : List.of();
    }

    /**
     * The FFmpeg encodes of job {@code id} under {@code parent} whose arguments hold {@code mark} ({@code ""} for
     * any), as they run now. FFmpeg itself (the program the process runs now: /proc/<pid>/exe), not a wrapper of the
     * sandbox that will exec it: frozen before setpriv, a process would not die with the JVM that started it.
     */
    public static List<ProcessHandle> running(ProcessHandle parent, String id, String mark) {
        return parent.descendants().filter(p -> runs(p, "ffmpeg"))
                .filter(p -> p.info().commandLine().map(line -> line.contains(id) && line.contains("-progress")
                        && line.contains(mark)).orElse(false))
                .toList();
    }

    /** Whether the process runs one of these programs now (by file name), not a wrapper that will exec it. */
    public static boolean runs(ProcessHandle process, String... programs) {
        return process.info().command().map(command -> Arrays.stream(programs)
                .anyMatch(program -> command.endsWith("/" + program))).orElse(false);
    }

    /**
     * Stops {@code processes} and waits until each is stopped. False, with them resumed, when one had ended first
     * (its work may then be stored): the caller looks again.
     */
    public static boolean freeze(List<ProcessHandle> processes) throws Exception {
        signal("STOP", processes);
        // A stop signal takes effect once its process is scheduled: not at once on a loaded machine.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> processes.stream().map(Frozen::state).noneMatch("RSD"::contains));
        if (processes.stream().map(Frozen::state).allMatch("T"::equals)) {
            return true;
        }
        signal("CONT", processes);
        return false;
    }

    /**
     * Once SIGTERM waits for each of the stopped {@code processes} (or it is gone), resumes them: the signal is
     * delivered as they resume, so a stop by SIGTERM meets them where they were frozen, still encoding.
     */
    public static void resumeOnceTermed(List<ProcessHandle> processes) throws Exception {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> processes.stream().allMatch(Frozen::termPendingOrGone));
        signal("CONT", processes);
    }

    /** Whether SIGTERM waits for the stopped {@code process}, or the process is gone. */
    private static boolean termPendingOrGone(ProcessHandle process) {
        try {
            return Files.readAllLines(proc(process, "status")).stream()
                    .filter(line -> line.startsWith("ShdPnd:") || line.startsWith("SigPnd:"))
                    .map(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16))
                    .anyMatch(mask -> (mask & (1L << (15 - 1))) != 0);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the process has ended: gone, or a zombie. A process whose parent was killed is reaped by init, in its own
     * time, and {@link ProcessHandle#isAlive} holds a zombie alive until then.
     */
    public static boolean gone(ProcessHandle process) {
        return "ZX".contains(state(process));
    }

    /** The process's state letter as {@code /proc/<pid>/stat} gives it (T stopped, Z ended), or X once it is gone. */
    private static String state(ProcessHandle process) {
        try {
            String stat = Files.readString(proc(process, "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (NoSuchFileException e) {
            return "X";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path proc(ProcessHandle process, String file) {
        return Path.of("/proc", Long.toString(process.pid()), file);
    }

    /**
     * kill -SIGNAL ({@code STOP}, {@code CONT}, ...) with every pid, whether or not each still exists (kill signals
     * the others all the same).
     */
    public static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }
}
