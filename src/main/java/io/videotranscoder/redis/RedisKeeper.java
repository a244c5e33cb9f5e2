package io.videotranscoder.redis;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an embedded Redis server from a thread of its own that waits for it, since {@code setpriv --pdeathsig} kills it
 * when the thread that started it ends; and, once the server has answered, starts it again each time it dies, after a
 * backoff, until it is stopped. A server that dies before it ever answered is a failed start, left to the caller.
 */
final class RedisKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeeper.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final List<String> command;
    private final File log;
    private final String address;
    private final CompletableFuture<Process> started = new CompletableFuture<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Process process;
    private volatile boolean answered;

    /**
     * @param log     the server's output: a fresh one for its first start, appended to by each restart
     * @param address where it listens, for the log (no password)
     */
    RedisKeeper(List<String> command, File log, String address) {
        this.command = command;
        this.log = log;
        this.address = address;
    }

    /** Starts the server and its keeper thread. */
    Process start() throws Exception {
        Thread keeper = new Thread(this::run, "embedded-redis");
        keeper.setDaemon(true);
        keeper.start();
        process = started.get(30, TimeUnit.SECONDS);
        return process;
    }

    /** The server has answered: from now on it is started again whenever it dies. */
    void answered() {
        answered = true;
    }

    /** The server running now, or the last one that ran. */
    Process process() {
        return process;
    }

    void stop() throws InterruptedException {
        stopping.countDown();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy(); // SIGTERM: Redis flushes its append-only file and exits
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        process = null;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        try {
            while (stopping.getCount() > 0) {
                Process p;
                try {
                    p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(started.isDone()
                            ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log)).start();
                } catch (IOException e) {
                    if (started.completeExceptionally(e)) {
                        return;
                    }
                    LOG.warn("Embedded Redis could not be started again, retrying in {} ms: {}", backoff.toMillis(),
                            e.getMessage());
                    backoff = pause(backoff);
                    continue;
                }
                process = p;
                if (stopping.getCount() == 0) {
                    p.destroy(); // stopped while this one was starting: stop() may have read the previous process
                }
                if (!started.complete(p)) {
                    LOG.info("Embedded Redis started again on {} (pid {})", address, p.pid());
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
                backoff = pause(backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code backoff} unless the server is stopped first; returns the next, doubled up to a bound. */
    private Duration pause(Duration backoff) throws InterruptedException {
        stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }
}
