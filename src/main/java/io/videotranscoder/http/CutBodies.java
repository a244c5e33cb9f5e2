package io.videotranscoder.http;

import java.io.File;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A multipart body cut short leaves Vert.x waiting for a part that never ends, although the request is over. A body
 * read whole is marked so on the event loop the moment the body handler hands it on ({@link #read}), before its route
 * waits for a worker thread; one not read whole by the deadline never will be, and is a 400, or a 507 where the disk
 * did not take its file. What follows may take long (a busy worker pool, storing a large upload in an object store).
 */
public final class CutBodies {

    private static final Logger LOG = LoggerFactory.getLogger(CutBodies.class);
    /**
     * How soon after a request ended its upload's file is looked at: a disk with no room for what the file lacks will
     * not take it (a cut body is only known at the deadline).
     */
    private static final long DISK_LOOK_MILLIS = 1000;
    /** The multipart requests whose body was read whole, until answered. */
    private static final Set<HttpServerRequest> ARRIVED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private CutBodies() {
    }

    static void answerCutBodies(RoutingContext ctx, long deadlineMillis) {
        if (!BodyGuards.isMultipartForm(ctx.request())) {
            ctx.next(); // only a multipart body can leave Vert.x waiting; a timer per request would hold every context
            return;
        }
        ctx.request().end().onSuccess(v -> {
            if (ctx.response().ended()) {
                return; // answered before the body was over, e.g. a 413
            }
            long timer = ctx.vertx().setTimer(deadlineMillis, t -> answerIfSilent(ctx, deadlineMillis));
            long disk = ctx.vertx().setTimer(Math.min(DISK_LOOK_MILLIS, deadlineMillis), t -> {
                if (silent(ctx) && !ARRIVED.contains(ctx.request())) {
                    refuseNotKept(ctx, DISK_LOOK_MILLIS);
                }
            });
            ctx.addEndHandler(done -> {
                ctx.vertx().cancelTimer(timer);
                ctx.vertx().cancelTimer(disk);
                ARRIVED.remove(ctx.request());
            });
        });
        ctx.next();
    }

    /**
     * The handler between Vert.x's body handler and Camel's (Camel's HTTP engine runs it, {@code HttpConfiguration}):
     * the body handler hands a request on once its body is read whole and its files closed, on the event loop, as the
     * deadline's timer runs; the route may start long after, on a worker thread.
     */
    public static void read(RoutingContext ctx) {
        if (BodyGuards.isMultipartForm(ctx.request())) { // the only bodies waited for: no other request is kept
            arrived(ctx.request());
        }
        ctx.next();
    }

    /** The body of {@code request} arrived whole, however long the answer takes now. */
    static void arrived(HttpServerRequest request) {
        ARRIVED.add(request);
    }

    private static void answerIfSilent(RoutingContext ctx, long deadlineMillis) {
        if (silent(ctx) && !ARRIVED.contains(ctx.request()) && !refuseNotKept(ctx, deadlineMillis)) {
            LOG.warn("{} {}: no answer {} ms after the request ended; its body is incomplete", ctx.request().method(),
                    ctx.request().path(), deadlineMillis);
            ctx.fileUploads().forEach(upload -> ctx.vertx().fileSystem().delete(upload.uploadedFileName()));
            ctx.response().setStatusCode(400);
            RouterErrors.answer(ctx);
        }
    }

    private static boolean silent(RoutingContext ctx) {
        return !ctx.response().ended() && !ctx.response().headWritten();
    }

    /** A 507 where the disk did not take an upload's file ({@link #notKept}); false, and nothing done, otherwise. */
    private static boolean refuseNotKept(RoutingContext ctx, long afterMillis) {
        if (ctx.fileUploads().stream().noneMatch(CutBodies::notKept)) {
            return false;
        }
        LOG.warn("{} {}: the disk did not take its upload ({} ms after the request ended)", ctx.request().method(),
                ctx.request().path(), afterMillis);
        ctx.fileUploads().forEach(upload -> ctx.vertx().fileSystem().delete(upload.uploadedFileName()));
        RouterErrors.problem(ctx, 507, RouterErrors.UPLOAD_NOT_KEPT);
        return true;
    }

    /**
     * Whether the disk refused an upload's file: the file holds less than its part brought, and its disk has no room
     * for the rest. Vert.x then waits for ever for the file to close, and never fails the request: the body was whole,
     * and its client was told it was not. A part cut short by its client has all it brought in the file, or a length
     * it declared (its own Content-Length, which Vert.x reports as its size) that the disk has room for.
     */
    static boolean notKept(FileUpload upload) {
        // On the event loop: stats of the file and of its disk (File's, which read no mount table); a file not there
        // holds nothing, and a folder not there is no disk's answer (the body is taken for incomplete, as before).
        File file = new File(upload.uploadedFileName());
        long missing = upload.size() - file.length();
        File folder = file.getParentFile();
        return missing > 0 && folder.isDirectory() && missing > folder.getUsableSpace();
    }
}
