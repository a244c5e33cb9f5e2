package io.videotranscoder.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.ext.web.RoutingContext;
import io.videotranscoder.job.StreamedInput;
import io.videotranscoder.storage.FileChecks;
import io.videotranscoder.storage.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multipart request whose {@code file} part goes into the object store as it arrives, a part at a time. Its bytes
 * fill a part in memory; a full part is sent from a worker thread while the next ones fill, {@value #IN_FLIGHT} at
 * once at most; a part full while that many are on their way pauses the request until one is stored. So at most
 * {@value #IN_FLIGHT} + 2 parts are held (on their way, one full, one filling with the rest of the bytes that filled
 * it), whatever the file's size, and nothing touches a disk. A file whose first bytes are text is not sent at all:
 * the route refuses it. The last bytes stay in memory until the route has checked the upload and completes it
 * ({@link io.videotranscoder.job.JobSubmitter#completeUpload}); any other end aborts it. Event-loop code throughout,
 * but for the sends.
 */
final class UploadStream {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStream.class);
    /**
     * Parts sent to the store at once. Two were no faster into S3Proxy on the bench's two cores (its own CPU time per
     * byte, not the wait for its answer, bounds an upload there; see bench/README.md) and held one part more: one,
     * while the next part fills.
     */
    private static final int IN_FLIGHT = 1;

    private final RoutingContext ctx;
    private final Storage storage;
    private final int partSize;
    private final long maxBytes;
    private final PartBuffer parts;
    /** The bytes of every file part, counted against the upload limit. */
    private long received;
    private StreamedInput input;
    /** The file parts the body held, kept or not. */
    private int files;
    private String clientName;
    private HttpServerFileUpload file;
    private int inFlight;
    private int partNumber;
    private boolean paused;
    private boolean fileEnded;
    private boolean bodyEnded;
    private boolean over;

    UploadStream(RoutingContext ctx, Storage storage, int partSize, long maxBytes) {
        this.ctx = ctx;
        this.storage = storage;
        this.partSize = partSize;
        this.maxBytes = maxBytes;
        this.parts = new PartBuffer(partSize);
    }

    void start() {
        if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue(); // taken: the client may send its body (no body handler says so here)
        }
        ctx.request().setExpectMultipart(true)
                .uploadHandler(this::part)
                .exceptionHandler(failure -> fail(400, failure))
                .endHandler(v -> {
                    bodyEnded = true;
                    if (input == null || fileEnded) {
                        // Whole: the parts still on their way to the store (a slow store's retries) are not a cut body
                        CutBodies.arrived(ctx.request());
                    }
                    proceedWhenSent();
                })
                .resume();
    }

    /** The stored upload, once the body arrived whole; null when it had no {@code file} part. */
    StreamedInput input() {
        return input;
    }

    String clientName() {
        return clientName;
    }

    /** How many file parts the body held: the route takes one video per upload. */
    int files() {
        return files;
    }

    /** The file's first bytes, for the checks of its content. */
    byte[] head() {
        return parts.head();
    }

    /** The request is over, answered or not: an upload not completed by its route is given up. */
    void release() {
        over = true;
        parts.clear();
        if (input != null) { // a no-op once completed; asked on a worker thread, as a send may hold the upload
            ctx.vertx().executeBlocking(() -> {
                input.upload().abort();
                return null;
            }, false);
        }
    }

    private void part(HttpServerFileUpload upload) {
        files++;
        if (!"file".equals(upload.name()) || input != null) {
            upload.handler(bytes -> count(bytes.length())); // no route reads another file part: not kept
            return;
        }
        file = upload;
        clientName = upload.filename();
        input = StreamedInput.begin(storage, clientName);
        upload.exceptionHandler(failure -> fail(400, failure));
        upload.endHandler(v -> fileEnded = true);
        upload.handler(this::take);
    }

    private void take(Buffer bytes) {
        if (!count(bytes.length())) {
            return;
        }
        parts.add(bytes);
        sendNext();
        if (parts.hasFull() && !paused) {
            paused = true; // every part taken: the next bytes wait in the socket, the client slows down
            file.pause();
            BodyRates.held(ctx, true);
        }
    }

    private void sendNext() {
        if (partNumber == 0 && parts.hasFull() && FileChecks.looksLikeText(parts.head())) {
            parts.drop(); // the route refuses it once the body is over (415): none of it goes to the store meanwhile
        }
        while (inFlight < IN_FLIGHT && parts.hasFull() && !over) {
            send(++partNumber, parts.takeFull());
        }
    }

    private void send(int number, byte[] part) {
        inFlight++;
        ctx.vertx().executeBlocking(() -> {
            input.upload().send(number, part, partSize);
            return null;
        }, false).onComplete(sent -> {
            inFlight--;
            if (over) {
                return; // answered meanwhile (refused, cut short): the upload is being given up
            }
            if (sent.failed()) {
                fail(503, sent.cause()); // the store failed or cannot be reached, as the route answers it
                return;
            }
            parts.reuse(part);
            if (paused) {
                paused = false;
                BodyRates.held(ctx, false);
                file.resume();
            }
            sendNext();
            proceedWhenSent();
        });
    }

    /** The body is over and every full part stored: the route takes the request. */
    private void proceedWhenSent() {
        if (!bodyEnded || inFlight > 0 || parts.hasFull() || over || ctx.response().ended()) {
            return;
        }
        if (input != null) {
            if (!fileEnded) {
                fail(400, new IllegalStateException("the body ended inside its file part"));
                return;
            }
            parts.head(); // kept before the request's end clears the parts
            input.upload().keepLast(parts.last(), parts.lastLength());
            input = input.withSize(parts.size());
        }
        CutBodies.arrived(ctx.request()); // whole: completing the upload may take longer than a cut body is waited for
        ctx.next();
    }

    /** Counts a file part's bytes against the upload limit; false (and a 413) past it. */
    private boolean count(int length) {
        received += length;
        if (received > maxBytes) {
            fail(413, new IllegalStateException("the upload is larger than " + maxBytes + " bytes"));
        }
        return !over;
    }

    private void fail(int status, Throwable failure) {
        if (over) {
            return;
        }
        release();
        if (status >= 500) {
            LOG.warn("Upload of {} into the object store failed: {}", input == null ? "?" : input.jobId(),
                    failure.toString());
        }
        if (!ctx.response().ended()) {
            if (status == 503) { // the rest of the body is not read either
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_SECONDS);
                RouterErrors.refuseUnread(ctx, status, "The object store failed or cannot be reached; try again "
                                                       + "shortly.");
                return;
            }
            if (status == 413) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not read
            }
            ctx.fail(status, failure);
        }
    }
}
