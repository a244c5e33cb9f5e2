package io.videotranscoder.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.process.ChildProcess;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisExecProvider;

/**
 * A private Redis 7 server (the binary shipped by embedded-redis) for a machine where none is configured. It listens on
 * loopback on a free port, keeps its data under the data root, and dies with the JVM: it is started under
 * {@code setpriv --pdeathsig KILL} from a thread that lives as long as the server, so even a kill -9 of the JVM takes
 * it down; a server left by an older run (pid file) is stopped first. That thread also supervises it: a server that
 * dies while the service runs is started again on the same port and the same append-only file, so the clients
 * reconnect by themselves and no job is lost.
 */
public class EmbeddedRedis extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Where a started server's address is written, beside its pid file. */
    private static final String URL_FILE = "redis.url";

    private final Path dir;
    private int port;
    private volatile Process process;
    private volatile CountDownLatch stopping;
    private volatile boolean answered;

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
        Files.deleteIfExists(dir.resolve(URL_FILE)); // written again once this server answers
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
        CountDownLatch stop = new CountDownLatch(1);
        stopping = stop;
        answered = false;
        Thread keeper = new Thread(() -> runServer(command, started, stop), "embedded-redis");
        keeper.setDaemon(true);
        keeper.start();
        process = started.get(30, TimeUnit.SECONDS);
        awaitReady(Duration.ofSeconds(30));
        Files.writeString(dir.resolve(URL_FILE), url());
        answered = true;
        LOG.info("Embedded Redis {} started on {} (data in {})", RedisExecProvider.redisVersion, url(), dir);
    }

    /**
     * Runs the server and, once it has answered, starts it again each time it dies until the service stops. A server
     * that dies before it ever answered is a failed start, reported by {@link #doStart}.
     */
    private void runServer(List<String> command, CompletableFuture<Process> started, CountDownLatch stopping) {
        Duration backoff = FIRST_BACKOFF;
        try {
            while (stopping.getCount() > 0) {
                Process p;
                try {
                    // The first start of this JVM begins a fresh log; a restart adds to it.
                    p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(started.isDone()
                            ? ProcessBuilder.Redirect.appendTo(log()) : ProcessBuilder.Redirect.to(log())).start();
                } catch (IOException e) {
                    if (started.completeExceptionally(e)) {
                        return;
                    }
                    LOG.warn("Embedded Redis could not be started again, retrying in {} ms: {}", backoff.toMillis(),
                            e.getMessage());
                    backoff = pause(backoff, stopping);
                    continue;
                }
                process = p;
                if (stopping.getCount() == 0) {
                    p.destroy(); // stopped while this one was starting: doStop may have read the previous process
                }
                if (!started.complete(p)) {
                    LOG.info("Embedded Redis started again on {} (pid {})", url(), p.pid());
                }
                long since = System.nanoTime();
                int exit = p.waitFor();
                if (stopping.getCount() == 0 || !answered) {
                    return;
                }
                // A server that ran a while gets a quick restart; one that keeps dying at once, slower ones.
                if (System.nanoTime() - since > MAX_BACKOFF.toNanos()) {
                    backoff = FIRST_BACKOFF;
                }
                LOG.warn("Embedded Redis (pid {}) exited with {}; starting it again on the same data in {} ms",
                        p.pid(), exit, backoff.toMillis());
                backoff = pause(backoff, stopping);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code backoff} unless the service stops first; returns the next, doubled up to a bound. */
    private static Duration pause(Duration backoff, CountDownLatch stopping) throws InterruptedException {
        stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
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
                    throw new IllegalStateException("Embedded Redis exited: " + tail(log().toPath()), e);
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
        CountDownLatch stop = stopping;
        if (stop != null) {
            stop.countDown();
        }
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: Redis flushes its append-only file and exits
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        process = null;
        Files.deleteIfExists(dir.resolve(URL_FILE));
    }

    /**
     * The address of the embedded server a running service keeps in {@code dir}, if one runs: its pid file names a
     * live redis-server, and the address it wrote beside it says where it listens. So another process (the
     * {@code keys} command) can use that server instead of starting a second one on the same files, which would stop
     * the first.
     */
    public static Optional<String> runningOn(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("redis.pid")).trim());
            boolean live = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .flatMap(h -> h.info().command()).map(c -> c.contains("redis-server")).orElse(false);
            return live ? Optional.of(Files.readString(dir.resolve(URL_FILE)).trim()) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // no server, or one still starting: none to use
        }
    }

    private File log() {
        return dir.resolve("redis.log").toFile();
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
