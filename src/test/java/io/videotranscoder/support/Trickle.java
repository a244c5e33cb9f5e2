package io.videotranscoder.support;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a body a few bytes at a time on a timer, as a client on a slow link, or one holding its request open: the
 * test's thread stays free to read the answer meanwhile. Stops at the body's end, at the first failed write (the
 * server closed), or when closed.
 */
public final class Trickle implements AutoCloseable {

    /** Where the bytes go: a socket's stream, a {@link PacedUpload}. */
    public interface Sink {
        void send(byte[] bytes) throws IOException;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "trickle");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sent = new AtomicLong();
    private final int length;

    private Trickle(Sink sink, byte[] body, int piece, Duration every) {
        this.length = body.length;
        timer.scheduleAtFixedRate(() -> {
            int from = (int) sent.get();
            if (from >= body.length) {
                timer.shutdown();
                return;
            }
            byte[] next = Arrays.copyOfRange(body, from, Math.min(body.length, from + piece));
            try {
                sink.send(next);
                sent.addAndGet(next.length);
            } catch (IOException e) {
                timer.shutdown();
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts sending {@code body}, {@code piece} bytes {@code every} so often. */
    public static Trickle start(Sink sink, byte[] body, int piece, Duration every) {
        return new Trickle(sink, body, piece, every);
    }

    /** The bytes written so far (each piece whose write returned). */
    public long sent() {
        return sent.get();
    }

    /** Whether the whole body was written. */
    public boolean done() {
        return sent.get() == length;
    }

    /** Stops, and waits for a write under way. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
