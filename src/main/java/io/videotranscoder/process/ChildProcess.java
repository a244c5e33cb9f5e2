package io.videotranscoder.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child processes that die with the thread that started them, even when the JVM is killed with SIGKILL: on Linux they
 * are started through {@code setpriv --pdeathsig KILL}, which execs the program (same pid) with that death signal.
 * Start them from a thread that lives as long as they should (camel-exec runs them in the calling route's thread).
 */
public final class ChildProcess {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final boolean HAS_SETPRIV = Files.isExecutable(SETPRIV);

    private ChildProcess() {
    }

    /** The whole command line, for ProcessBuilder: setpriv where there is one, else the program itself. */
    public static List<String> command(Path program, List<String> args) {
        List<String> all = new ArrayList<>();
        if (HAS_SETPRIV) {
            all.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        all.add(program.toString());
        all.addAll(args);
        return all;
    }
}
