package io.videotranscoder.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether this process listens on a TCP port, read from Linux's {@code /proc} as {@code ss -ltnp} does: the listening
 * sockets of the port ({@code /proc/self/net/tcp} and {@code tcp6}, state {@code 0A}) against this process's open
 * files ({@code /proc/self/fd}). Vert.x reports a port it could not bind only in its log, and its server then gives
 * the port it was asked for as its own.
 */
public final class ListeningSockets {

    private static final Path PROC = Path.of("/proc/self");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Whether it can be told here (Linux); elsewhere {@link #listensOn} is not asked. */
    public static boolean known() {
        return Files.isReadable(PROC.resolve("net/tcp"));
    }

    /** Whether a socket of this process listens on {@code port}. */
    public static boolean listensOn(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            List<String> lines = Files.isReadable(file) ? Files.readAllLines(file) : List.of();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) { // after the heading
                String[] fields = line.trim().split("\\s+"); // sl local remote st ... uid timeout inode
                if (fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                    sockets.add("socket:[" + fields[9] + "]");
                }
            }
        }
        try (Stream<Path> fds = Files.list(PROC.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return sockets.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException closed) {
                    return false; // closed since it was listed
                }
            });
        }
    }
}
