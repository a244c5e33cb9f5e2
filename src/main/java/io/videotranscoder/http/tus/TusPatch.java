package io.videotranscoder.http.tus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.Tenancy;
import io.videotranscoder.storage.DiskSpace;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PATCH /uploads/<id>}: appends the request's bytes at {@code Upload-Offset}, streamed to the upload's file
 * (never held whole in memory), under the upload's write lock. Bytes that arrived before a connection broke are kept,
 * so the client resumes from there. The last byte makes the upload a job ({@link TusFinish}).
 */
class TusPatch {

    /** A write lock lives this long unless renewed, which the writer does every third of it. */
    static final long LOCK_MILLIS = 30_000;

    private final TusStore store;
    private final TusFiles files;
    private final DiskSpace disk;
    private final Duration expiry;
    private final Clock clock;
    private final TusFinish finish;

    TusPatch(TusStore store, TusFiles files, DiskSpace disk, Duration expiry, Clock clock, TusFinish finish) {
        this.store = store;
        this.files = files;
        this.disk = disk;
        this.expiry = expiry;
        this.clock = clock;
        this.finish = finish;
    }

    void handle(RoutingContext ctx) {
        if (!TusAnswers.speaksVersion(ctx)) {
            return;
        }
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(TusAnswers.OFFSET_CONTENT_TYPE)) {
            TusAnswers.problem(ctx, 415, "A PATCH carries the upload's bytes as " + TusAnswers.OFFSET_CONTENT_TYPE
                                         + ".");
            return;
        }
        long offset = TusAnswers.number(ctx.request().getHeader(TusAnswers.OFFSET));
        if (offset < 0) {
            TusAnswers.problem(ctx, 400, "Upload-Offset must be the offset the bytes start at, a whole number.");
            return;
        }
        String lengthText = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long bodyLength = lengthText == null ? -1 : TusAnswers.number(lengthText);
        String id = ctx.pathParam("id");
        String token = UUID.randomUUID().toString();
        ctx.request().pause(); // until the file is ready for the bytes
        TusWrite write = new TusWrite(ctx);
        TusHandlers.blocking(ctx, () -> begin(id, offset, bodyLength, token, TusHandlers.caller(ctx)), upload -> {
            if (upload.job() != null) {
                TusFinish.Result.written(upload).answer(ctx); // a client that missed the answer asks again
            } else if (upload.complete()) {
                thenUnlock(ctx, upload.id(), token, () -> finish.submit(upload, ctx.user()));
            } else {
                write(ctx, write, upload, token);
            }
        });
    }

    /**
     * {@code HEAD} of an upload: its offset, and for a complete upload its job. A complete upload without a job (the
     * process died between its last byte and its job, or the job could not be made then) is made a job first: a
     * client that reads an offset equal to the length counts the upload done and never sends the PATCH that would.
     */
    void head(RoutingContext ctx, TusUpload found) {
        if (!found.complete() || found.job() != null) {
            TusAnswers.head(ctx, found).end();
            return;
        }
        String token = UUID.randomUUID().toString();
        TusHandlers.blocking(ctx, () -> begin(found.id(), found.offset(), 0, token, TusHandlers.caller(ctx)), upload -> {
            if (upload.job() != null) {
                TusAnswers.head(ctx, upload).end();
            } else {
                thenUnlock(ctx, upload.id(), token, () -> finish.submit(upload, ctx.user()), result -> {
                    if (result.status() == 204) {
                        TusAnswers.head(ctx, result.upload()).end();
                    } else {
                        result.answer(ctx);
                    }
                });
            }
        });
    }

    private void write(RoutingContext ctx, TusWrite write, TusUpload upload, String token) {
        Runnable stopRenewal = lockRenewal(ctx, upload.id(), token);
        write.start(upload, files.file(upload.id()), new TusWrite.Listener() {
            @Override
            public void written(long bytes, boolean overflow) {
                stopRenewal.run();
                thenUnlock(ctx, upload.id(), token, () -> end(upload, bytes, overflow, ctx));
            }

            @Override
            public void failed(Throwable failure) {
                stopRenewal.run();
                unlock(ctx, upload.id(), token, () -> TusAnswers.failure(ctx, failure));
            }
        });
    }

    /**
     * Checks the request against the upload and takes its write lock.
     *
     * @return the upload as it stands, locked; or, complete with its job, unlocked (a client asking again)
     */
    private TusUpload begin(String id, long offset, long bodyLength, String token, Caller caller) {
        disk.requireFree();
        TusUpload upload = find(store, id, caller);
        if (upload.job() != null) {
            requireOffset(upload, offset);
            return upload;
        }
        if (!store.lock(id, token, LOCK_MILLIS)) {
            throw new TusError(423, "Upload " + id + " is being written by another request; try again shortly.");
        }
        try {
            upload = find(store, id, caller); // as it stands now that it is locked
            requireOffset(upload, offset);
            if (bodyLength > upload.remaining()) {
                throw new TusError(413, "The body has " + bodyLength + " bytes, more than the " + upload.remaining()
                                       + " bytes the upload lacks (Upload-Length " + upload.length() + ").");
            }
            return upload;
        } catch (RuntimeException e) {
            store.unlock(id, token);
            throw e;
        }
    }

    private static void requireOffset(TusUpload upload, long offset) {
        if (offset != upload.offset()) {
            throw new TusError(409, "Upload-Offset is " + offset + ", but the upload has " + upload.offset()
                                    + " bytes: ask with HEAD and continue from there.");
        }
    }

    /** The bytes are on disk: the upload advances, and its last byte makes it a job. */
    private TusFinish.Result end(TusUpload upload, long written, boolean overflow, RoutingContext ctx) {
        long offset = upload.offset() + written;
        Instant expires = clock.instant().plus(expiry);
        if (!store.advance(upload.id(), upload.offset(), offset, expires)) {
            throw TusHandlers.unknown(upload.id());
        }
        TusUpload advanced = new TusUpload(upload.id(), upload.length(), offset, upload.metadata(), upload.tenant(),
                upload.createdAt(), expires, null);
        if (overflow) {
            throw new TusError(413, "The body held more than the " + upload.remaining() + " bytes the upload lacked "
                                    + "(Upload-Length " + upload.length() + "); the bytes up to its length are kept.");
        }
        return advanced.complete() ? finish.submit(advanced, ctx.user()) : TusFinish.Result.written(advanced);
    }

    /** Runs {@code work} off the event loop, then releases the lock and answers, whatever happened. */
    private void thenUnlock(RoutingContext ctx, String id, String token, Callable<TusFinish.Result> work) {
        thenUnlock(ctx, id, token, work, result -> result.answer(ctx));
    }

    private void thenUnlock(RoutingContext ctx, String id, String token, Callable<TusFinish.Result> work,
            Consumer<TusFinish.Result> answer) {
        ctx.vertx().executeBlocking(work, false).onComplete(done -> unlock(ctx, id, token, () -> {
            if (done.succeeded()) {
                answer.accept(done.result());
            } else {
                TusAnswers.failure(ctx, done.cause());
            }
        }));
    }

    /**
     * Releases the lock, then answers: a client sends its next PATCH as soon as it has the answer, and would find the
     * upload still locked (423). A lock that cannot be released (Redis away) expires on its own.
     */
    private void unlock(RoutingContext ctx, String id, String token, Runnable answer) {
        ctx.vertx().executeBlocking(() -> {
            store.unlock(id, token);
            return null;
        }, false).onComplete(released -> answer.run());
    }

    /** Renews the lock while the bytes stream in; the returned action stops it. */
    private Runnable lockRenewal(RoutingContext ctx, String id, String token) {
        long timer = ctx.vertx().setPeriodic(LOCK_MILLIS / 3, t -> ctx.vertx().executeBlocking(
                () -> store.renew(id, token, LOCK_MILLIS), false));
        return () -> ctx.vertx().cancelTimer(timer);
    }

    /**
     * The upload {@code id} names, or a refusal (404) when there is none for this caller: another tenant's upload is
     * answered as none, as another tenant's job is.
     */
    static TusUpload find(TusStore store, String id, Caller caller) {
        if (!JobIds.valid(id)) {
            throw TusHandlers.unknown(id);
        }
        Tenancy tenancy = JobOwners.tenancy(caller);
        return store.find(id).filter(u -> tenancy.tenant() == null || tenancy.tenant().equals(u.tenant()))
                .orElseThrow(() -> TusHandlers.unknown(id));
    }
}
