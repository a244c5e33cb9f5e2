package io.videotranscoder.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP ports this process listens on, read from Linux's {@code /proc} as {@code ss -ltnp} does: the listening
 * sockets ({@code /proc/self/net/tcp} and {@code tcp6}, state {@code 0A}) that are among this process's open files
 * ({@code /proc/self/fd}). Vert.x reports a port it could not bind only in its log, and its server then gives the
 * port it was asked for as its own.
 */
public final class ListeningSockets {

    private static final Path PROC = Path.of("/proc/self");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Whether it can be told here (Linux); elsewhere {@link #ports} is not asked. */
    public static boolean known() {
        return Files.isReadable(PROC.resolve("net/tcp"));
    }

    /** The ports a socket of this process listens on. */
    public static Set<Integer> ports() throws IOException {
        Map<String, Integer> listening = new HashMap<>(); // "socket:[inode]" to its port
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            List<String> lines = Files.isReadable(file) ? Files.readAllLines(file) : List.of();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) { // after the heading
                String[] fields = line.trim().split("\\s+"); // sl local remote st ... uid timeout inode
                if (LISTEN.equals(fields[3])) {
                    String local = fields[1];
                    listening.put("socket:[" + fields[9] + "]",
                            Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        try (Stream<Path> fds = Files.list(PROC.resolve("fd"))) {
            fds.forEach(fd -> {
                try {
                    Integer port = listening.get(Files.readSymbolicLink(fd).toString());
                    if (port != null) {
                        ports.add(port);
                    }
                } catch (IOException closed) {
                    // closed since it was listed
                }
            });
        }
        return ports;
    }
}
