package io.videotranscoder.http.tus;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

import io.videotranscoder.http.BodyRates;
import io.videotranscoder.storage.DiskSpace;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * One PATCH's bytes, streamed from the request into the upload's file at the upload's offset with back-pressure (the
 * request is paused while the disk is behind), bounded by what the upload lacks. Whether the request ends or its
 * connection breaks, what arrived is flushed to disk and counted; an aborted write (its lock was lost) counts nothing.
 */
final class TusWrite {

    private final RoutingContext ctx;
    private TusUpload upload;
    private Path file;
    private Listener listener;
    /** The upload's file once it is open for the bytes. */
    private AsyncFile out;
    private final AtomicBoolean ended = new AtomicBoolean();
    private long written;
    private boolean overflow;
    /** A write of the bytes failed: none count. */
    private Throwable diskFailure;
    /** The connection broke before the file was ready: Vert.x tells once, so it is remembered from here on. */
    private boolean broken;

    /** Told once how the write ended. */
    interface Listener {

        /** @param overflow whether the body held more than the upload lacks (the rest was not read) */
        void written(long bytes, boolean overflow);

        void failed(Throwable failure);
    }

    /** Watches the request from the start (paused, before the upload is checked). */
    TusWrite(RoutingContext ctx) {
        this.ctx = ctx;
        ctx.request().exceptionHandler(failure -> broken = true);
    }

    /** Writes the request's bytes into {@code file} at {@code upload}'s offset. */
    void start(TusUpload upload, Path file, Listener listener) {
        this.upload = upload;
        this.file = file;
        this.listener = listener;
        start();
    }

    /**
     * Stops taking the request's bytes and tells the listener {@code failure} once the file is closed; nothing when the
     * write has ended already. The rest of the body is never read, so the connection closes once the answer is out:
     * the client would otherwise wait on a paused connection for an end that never comes.
     */
    void abort(Throwable failure) {
        if (ended.compareAndSet(false, true)) {
            ctx.request().pause();
            BodyRates.held(ctx, true); // the service stopped reading: no stall of the client's
            ctx.addEndHandler(answered -> ctx.request().connection().close());
            Future<Void> closed = out == null ? Future.succeededFuture() : out.close();
            closed.onComplete(v -> listener.failed(failure));
        }
    }

    /** Bytes past the upload's offset are a failed request's, never acknowledged: they are cut off first. */
    private void start() {
        long size = size(file);
        if (upload.offset() > 0 && size < upload.offset()) {
            listener.failed(TusHolders.elsewhere(upload));
            return;
        }
        var fs = ctx.vertx().fileSystem();
        Future<Void> cut = size > upload.offset() ? fs.truncate(file.toString(), upload.offset())
                : Future.succeededFuture();
        cut.compose(v -> fs.open(file.toString(), new OpenOptions().setWrite(true).setCreate(true)))
                .onSuccess(this::stream)
                .onFailure(listener::failed);
    }

    /**
     * The upload's file's size; -1 when there is none. It holds fewer bytes than the upload's offset (kept in Redis,
     * which every instance shares) when it is on another instance's disk: writing at the offset would leave zeros in
     * place of the bytes this one never had. It holds more after a failed request, whose bytes are cut off.
     */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private void stream(AsyncFile out) {
        this.out = out;
        if (ended.get()) { // aborted while the file was opened
            out.close();
            return;
        }
        out.setWritePos(upload.offset());
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            end(out);
            return;
        }
        out.exceptionHandler(failure -> request.connection().close()); // the disk failed: the request ends below
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue(); // the checks passed: the client may send the bytes (Java's waits 5 s)
        }
        request.handler(chunk -> write(out, chunk, request));
        request.endHandler(v -> end(out));
        request.exceptionHandler(broken -> end(out)); // the client went away: keep what came
        BodyRates.held(ctx, false);
        request.resume();
        // The connection may have broken before this handler was asked (while the key was checked): the bytes that
        // arrived before the break are handed over first, then the write ends.
        if (broken || ctx.response().closed()) {
            ctx.vertx().runOnContext(v -> end(out));
        }
    }

    private void write(AsyncFile out, Buffer chunk, HttpServerRequest request) {
        if (overflow || ended.get()) {
            return; // the rest of the body is not read
        }
        long room = upload.remaining() - written;
        if (chunk.length() > room) {
            overflow = true;
            chunk = chunk.slice(0, (int) room);
            request.pause();
            BodyRates.held(ctx, true);
            ctx.response().putHeader("Connection", "close"); // the rest of the body is not read
        }
        written += chunk.length();
        out.write(chunk).onFailure(this::notWritten);
        if (overflow) {
            end(out);
        } else if (out.writeQueueFull()) {
            request.pause();
            BodyRates.held(ctx, true);
            out.drainHandler(v -> {
                BodyRates.held(ctx, false);
                request.resume();
            });
        }
    }

    /**
     * A write the disk did not take (full, or failing): none of this request's bytes count, since which reached the
     * file cannot be told (the next PATCH cuts the file back to the upload's offset).
     */
    private void notWritten(Throwable failure) {
        if (diskFailure == null) {
            diskFailure = failure;
            abort(failed(failure)); // nothing once the write has ended: end reports it
        }
    }

    private static Throwable failed(Throwable failure) {
        return DiskSpace.saysFull(failure.getMessage()) ? new TusError(507, "This server's disk is full ("
                + failure.getMessage() + "): none of this request's bytes were kept. Ask with HEAD, and resume later.")
                : failure;
    }

    /**
     * The file is closed once the writes queued are done, then its bytes are forced to the disk: before the offset says
     * so, whatever the machine does next. (An {@code AsyncFile}'s flush does not wait for the writes queued.)
     */
    private void end(AsyncFile out) {
        if (ended.compareAndSet(false, true)) {
            out.close().compose(v -> ctx.vertx().executeBlocking(() -> {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(false);
                } catch (NoSuchFileException removed) {
                    // removed meanwhile (terminated after this request's lock lapsed): the offset's advance refuses
                }
                return null;
            }, false)).onComplete(closed -> {
                if (diskFailure != null) {
                    listener.failed(failed(diskFailure));
                } else if (closed.succeeded()) {
                    listener.written(written, overflow);
                } else {
                    listener.failed(closed.cause());
                }
            });
        }
    }
}
