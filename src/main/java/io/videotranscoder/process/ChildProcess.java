package io.videotranscoder.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child processes (the embedded Redis, FFmpeg, ffprobe) that answer to the JVM alone:
 * <ul>
 * <li>They die with the thread that started them, even when the JVM is killed with SIGKILL: on Linux they are started
 * through {@code setpriv --pdeathsig KILL}, which execs the program (same pid) with that death signal. Start them from
 * a thread that lives as long as they should (camel-exec runs them in the calling route's thread). The same step
 * keeps them from gaining privileges ({@code --no-new-privs}: a set-user-ID program they ran would not gain its
 * owner's), which neither Redis nor FFmpeg needs.</li>
 * <li>They run in a session of their own ({@code setsid}, which execs too): Ctrl-C in the terminal of
 * {@code java -jar} signals its whole foreground process group, and a closed terminal hangs it up. Those signals reach
 * the JVM only, which then stops its work in order (a running job handed back while Redis still answers), instead
 * of Redis and FFmpeg dying under it at the same moment.</li>
 * </ul>
 */
public final class ChildProcess {

    /** Never a process group leader (a child of the JVM), setsid needs no fork: it execs, and the pid stays. */
    private static final List<String> OWN_SESSION = wrapper(Path.of("/usr/bin/setsid"));
    private static final List<String> DEATH_SIGNAL = wrapper(Path.of("/usr/bin/setpriv"), "--pdeathsig", "KILL",
            "--no-new-privs", "--");

    private ChildProcess() {
    }

    /** The whole command line, for ProcessBuilder: {@link #ownSession()}, {@link #deathSignal()}, the program. */
    public static List<String> command(Path program, List<String> args) {
        List<String> all = new ArrayList<>(ownSession());
        all.addAll(deathSignal());
        all.add(program.toString());
        all.addAll(args);
        return all;
    }

    /** The wrapper that starts the rest of a command line in a new session, where there is one; first in the line. */
    public static List<String> ownSession() {
        return OWN_SESSION;
    }

    /** The wrapper that gives the rest of a command line its death signal, where there is one; last in the line. */
    public static List<String> deathSignal() {
        return DEATH_SIGNAL;
    }

    /** {@code program} and its options, or nothing where the program is missing. */
    private static List<String> wrapper(Path program, String... options) {
        if (!Files.isExecutable(program)) {
            return List.of();
        }
        List<String> all = new ArrayList<>(List.of(program.toString()));
        all.addAll(List.of(options));
        return List.copyOf(all);
    }
}
