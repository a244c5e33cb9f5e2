package io.videotranscoder.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.ffmpeg.ChildProcess;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisExecProvider;

/**
 * A private Redis 7 server (the binary shipped by embedded-redis) for a machine where none is configured. It listens on
 * loopback on a free port, keeps its data under the data root, and dies with the JVM: it is started under
 * {@code setpriv --pdeathsig KILL} from a thread that lives as long as the server, so even a kill -9 of the JVM takes
 * it down; a server left by an older run (pid file) is stopped first.
 */
public class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final Path dir;
    private int port;
    private volatile Process process;

    public EmbeddedRedis(Path dir) {
        this(dir, 0);
    }

    /** @param port where to listen; 0 for a free port */
    public EmbeddedRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(dir);
        stopLeftover();
        File binary = RedisExecProvider.defaultProvider().get();
        if (port == 0) {
            port = freePort();
        }
        List<String> command = ChildProcess.command(binary.toPath(), List.of("--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--dir", dir.toAbsolutePath().toString(), "--pidfile", pidFile().toAbsolutePath().toString(),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
                "--daemonize", "no", "--logfile", ""));
        // pdeathsig fires when the thread that started the process ends, so that thread waits for the server.
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread keeper = new Thread(() -> runServer(command, started), "embedded-redis");
        keeper.setDaemon(true);
        keeper.start();
        process = started.get(30, TimeUnit.SECONDS);
        awaitReady(Duration.ofSeconds(30));
        LOG.info("Embedded Redis {} started on {} (data in {})", RedisExecProvider.redisVersion, url(), dir);
    }

    private void runServer(List<String> command, CompletableFuture<Process> started) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            started.complete(p);
            p.waitFor();
        } catch (IOException e) {
            started.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 500)) {
                // A server loading its append-only file answers LOADING until it is done.
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Embedded Redis exited: " + tail(dir.resolve("redis.log")), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Embedded Redis did not answer within " + timeout, e);
                }
            }
            Thread.sleep(50);
        }
    }

    @Override
    protected void doStop() throws Exception {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: Redis flushes its append-only file and exits
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        process = null;
    }

    private Path pidFile() {
        return dir.resolve("redis.pid");
    }

    /** A server still running from an earlier JVM (one that could not take it down) holds the data folder. */
    private void stopLeftover() throws IOException {
        Path pidFile = pidFile();
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.contains("redis-server")).orElse(false))
                    .ifPresent(h -> {
                        LOG.warn("Stopping embedded Redis (pid {}) left over from an earlier run", pid);
                        h.destroyForcibly();
                        h.onExit().join();
                    });
        } catch (NumberFormatException e) {
            // Not ours to interpret: a fresh server rewrites it.
        }
        Files.deleteIfExists(pidFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
