package io.videotranscoder.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.DiskSpace;
import io.videotranscoder.storage.Storage;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * With an object store, the multipart uploads of {@code POST /jobs} and {@code POST /transcode} go into the store as
 * their bytes arrive ({@link UploadStream}), never onto the API's disk: a handler ahead of the routes reads the body in
 * place of platform-http's body handler, which would write the file part to disk first. Its form fields reach the
 * route as they would have; the upload is found by {@link #of} and checked by {@link UploadReceiver}. With the local
 * data root, the same handler refuses an upload whose declared length the disk has no room for, before it is read.
 */
public class StreamedUploads implements StartupListener {

    /** After the access checks (no body is read for a refused caller), before the routes. */
    static final int ORDER = AccessGuard.ORDER + 3;
    private static final Map<HttpServerRequest, UploadStream> STREAMS = new ConcurrentHashMap<>();

    private final int port;
    private final Storage storage;
    private final int partSize;
    private final long maxBytes;
    private final DiskSpace disk;
    private final int maxStreaming;
    private final AtomicInteger streaming = new AtomicInteger();
    private final KeyedCounts perKey;

    /**
     * @param partSize     the bytes sent to the store at a time (at least its minimum part, 5 MiB on S3)
     * @param maxBytes     the largest upload taken (413 past it)
     * @param maxStreaming how many uploads may stream into the store at once (503 past it)
     * @param maxPerKey    how many uploads one API key may send at once (429 past it; 0: any number); with an object
     *                     store, half of {@code maxStreaming} at most (but for 0), so that one key never holds every
     *                     stream
     * @param disk         the data root's room, which an upload to it must fit (507 before it is read otherwise)
     */
    public StreamedUploads(int port, Storage storage, int partSize, long maxBytes, int maxStreaming, int maxPerKey,
            DiskSpace disk) {
        this.port = port;
        this.maxStreaming = maxStreaming;
        this.perKey = new KeyedCounts(maxPerKey <= 0 ? Integer.MAX_VALUE
                : storage.local() ? maxPerKey : Math.min(maxPerKey, Math.max(1, maxStreaming / 2)));
        this.storage = storage;
        this.partSize = partSize;
        this.maxBytes = maxBytes;
        this.disk = disk;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router != null) {
            Handler<RoutingContext> handler = storage.local() ? this::requireRoom : this::receive;
            router.post("/jobs").order(ORDER).handler(handler);
            router.post("/transcode").order(ORDER).handler(handler);
        }
    }

    /** How many uploads one key may send at once. */
    int maxPerKey() {
        return perKey.max();
    }

    /** The upload streamed for this request, once its body arrived whole; null for a request that had none. */
    static UploadStream of(HttpServerRequest request) {
        return STREAMS.get(request);
    }

    /**
     * An upload to the data root is refused before its body is read when its length would leave the disk short, with
     * the room the uploads under way hold counted: it would otherwise be written whole, past the threshold, before the
     * route's own check. Its room is held until it is answered.
     */
    private void requireRoom(RoutingContext ctx) {
        if (!BodyGuards.isMultipartForm(ctx.request())) {
            ctx.next(); // refused by the route
            return;
        }
        if (!heldForKey(ctx)) {
            return;
        }
        long length = BodyGuards.declaredLength(ctx.request());
        if (length < 0) {
            // Its room could not be held: written as it arrives, it could fill the disk past the threshold. Browsers
            // and curl send a form's length.
            RouterErrors.refuseUnread(ctx, 411, "An upload to this server's disk needs a Content-Length, so that it is "
                                                + "refused before it is read when the disk has no room for it.");
            return;
        }
        if (length <= maxBytes) { // larger: a 413, later
            try {
                UploadRoom.hold(ctx, disk, length);
            } catch (Refusal refusal) {
                RouterErrors.refuseUnread(ctx, refusal);
                return;
            }
        }
        ctx.next();
    }

    private void receive(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!BodyGuards.isMultipartForm(request)) {
            ctx.next(); // refused by the route
            return;
        }
        if (BodyGuards.declaredLength(request) > maxBytes) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.fail(413);
            return;
        }
        if (!heldForKey(ctx)) {
            return;
        }
        if (streaming.incrementAndGet() > maxStreaming) {
            streaming.decrementAndGet();
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            RouterErrors.refuseUnread(ctx, 503, "As many uploads as this server holds in memory (" + maxStreaming
                                                + ") are streaming into the store; try again shortly.");
            return;
        }
        // The body is read here: platform-http's body handler, next on the route, passes a request marked read.
        ((RoutingContextInternal) ctx).visitHandler(RoutingContextInternal.BODY_HANDLER);
        UploadStream stream = new UploadStream(ctx, storage, partSize, maxBytes);
        STREAMS.put(request, stream);
        if (UploadRoom.whileServed(ctx, () -> {
            STREAMS.remove(request);
            stream.release();
            streaming.decrementAndGet();
        })) {
            stream.start();
        }
    }

    /**
     * Whether the caller's key may send one more upload, held until the answer ends however it ends: past the key's
     * number, a 429 before the body is read, so that one tenant cannot hold every upload this process takes.
     */
    private boolean heldForKey(RoutingContext ctx) {
        String keyId = ctx.user() == null ? null : Callers.caller(ctx.user()).keyId();
        if (!perKey.take(keyId)) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
            RouterErrors.refuseUnread(ctx, 429, "This API key is sending " + perKey.max() + " uploads to this server"
                    + " at once, as many as one key may (TRANSCODER_MAX_UPLOADS_PER_KEY): wait for one to end.");
            return false;
        }
        return UploadRoom.whileServed(ctx, () -> perKey.giveBack(keyId));
    }

    /**
     * How many uploads half the heap holds, at three parts each (on its way to the store, waiting, filling): the heap
     * would otherwise run out under uploads that each fit (eleven with 8 MiB parts fill 256 MiB).
     */
    public static int heapHolds(int partSize) {
        return (int) Math.max(1, Runtime.getRuntime().maxMemory() / 2 / (3L * partSize));
    }
}
