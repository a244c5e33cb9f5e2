package io.videotranscoder.http.tus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.http.BodyRates;
import io.videotranscoder.http.UploadRoom;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.Tenancy;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.DiskSpace;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PATCH /uploads/<id>}: appends the request's bytes at {@code Upload-Offset}, streamed to the upload's file
 * (never held whole in memory), under the upload's write lock. Bytes that arrived before a connection broke are kept,
 * so the client resumes from there. The last byte makes the upload a job ({@link TusFinish}).
 */
class TusPatch {

    private final TusStore store;
    private final TusFiles files;
    private final DiskSpace disk;
    /** How long an upload is kept after a PATCH that ran past its maximum age. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final Duration expiry;
    private final Duration maxAge;
    private final Clock clock;
    private final TusFinish finish;
    private final TusLocks locks;
    private final TusHolders holders;

    /**
     * @param expiry how long an unfinished upload is kept after its last bytes
     * @param maxAge how long one is kept at most from its creation: bytes trickled in once a day held its disk for ever
     */
    TusPatch(TusStore store, TusFiles files, DiskSpace disk, Duration expiry, Duration maxAge, Clock clock,
            TusFinish finish, TusLocks locks, TusHolders holders) {
        this.store = store;
        this.files = files;
        this.disk = disk;
        this.expiry = expiry;
        this.maxAge = maxAge;
        this.clock = clock;
        this.finish = finish;
        this.locks = locks;
        this.holders = holders;
    }

    /** The HEAD of an upload, which makes a complete upload left without its job one. */
    TusHead head() {
        return new TusHead(this, locks, finish, holders);
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
        BodyRates.held(ctx, true);
        BodyRates.resumable(ctx);
        TusWrite write = new TusWrite(ctx);
        TusHandlers.blocking(ctx, () -> begin(id, offset, bodyLength, token, TusHandlers.caller(ctx)), upload -> {
            if (bodyLength < 0 && upload.remaining() == 0) {
                // A body of unknown length (chunked) on an upload that has every byte: answered as a client asking
                // again, unread, and the connection closed, should the client still be sending one.
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            if (upload.job() != null) {
                TusFinish.Result.written(upload).answer(ctx); // a client that missed the answer asks again
            } else if (upload.complete()) {
                locks.thenUnlock(ctx, upload.id(), token, true, () -> finish.submit(upload, token, ctx.user()));
            } else {
                try { // the room for its bytes, as many as the upload lacks at most (all of them for a body of
                    // unknown length), held until it is answered
                    UploadRoom.hold(ctx, disk, bodyLength < 0 ? upload.remaining()
                            : Math.min(bodyLength, upload.remaining()));
                } catch (Refusal refusal) {
                    locks.unlock(ctx, upload.id(), token, () -> TusAnswers.failure(ctx, refusal));
                    return;
                }
                write(ctx, write, upload, token);
            }
        });
    }

    /**
     * Streams the bytes in under the lock. Should the lock lapse meanwhile, another request may be cutting and writing
     * the file: this one stops reading and writing at once and answers 409, so that the client asks with HEAD where the
     * upload stands and continues from there.
     */
    private void write(RoutingContext ctx, TusWrite write, TusUpload upload, String token) {
        Runnable stopRenewal = locks.renewal(ctx, upload.id(), token, () -> write.abort(new TusError(409,
                "This request lost upload " + upload.id() + "'s write lock while the bytes came in, and another "
                + "request may write it now: ask with HEAD and continue from there.")));
        // The maximum age holds while the bytes come too: one PATCH trickling just above the minimum rate would keep
        // the upload, and the disk room it holds, for as long as its bytes took (months, for gigabytes).
        long left = Math.max(1, Duration.between(clock.instant(), upload.createdAt().plus(maxAge)).toMillis());
        long tooOld = ctx.vertx().setTimer(left, t -> write.abort(new TusError(410, "Upload " + upload.id()
                + " reached the " + maxAge.toHours() + " hours an upload may take (TRANSCODER_UPLOAD_MAX_AGE_HOURS)"
                + " while these bytes came in: upload the file again.")));
        write.start(upload, files.file(upload.id()), new TusWrite.Listener() {
            @Override
            public void written(long bytes, boolean overflow) {
                ctx.vertx().cancelTimer(tooOld);
                stopRenewal.run();
                boolean completes = !overflow && upload.offset() + bytes == upload.length();
                locks.thenUnlock(ctx, upload.id(), token, completes, () -> end(upload, token, bytes, overflow, ctx));
            }

            @Override
            public void failed(Throwable failure) {
                ctx.vertx().cancelTimer(tooOld);
                stopRenewal.run();
                locks.unlock(ctx, upload.id(), token, () -> TusAnswers.failure(ctx, failure));
            }
        });
    }

    /**
     * Checks the request against the upload and takes its write lock.
     *
     * @return the upload as it stands, locked; or, complete with its job, unlocked (a client asking again)
     */
    TusUpload begin(String id, long offset, long bodyLength, String token, Caller caller) {
        disk.requireFree(); // a PATCH's own room is held once the upload is found (handle)
        TusUpload upload = find(store, id, caller);
        if (upload.job() != null) {
            upload.requireAt(offset).requireRoomFor(bodyLength);
            return upload;
        }
        upload.requireYoungerThan(maxAge, clock.instant());
        if (!locks.take(id, token)) {
            throw TusLocks.held(id);
        }
        try {
            upload = find(store, id, caller); // as it stands now that it is locked
            Optional<TusError> gone = holders.gone(upload);
            if (gone.isPresent()) {
                throw gone.get();
            }
            upload.requireAt(offset).requireRoomFor(bodyLength);
            if (upload.offset() == 0) {
                store.hold(id); // its first bytes go to this instance's disk, whichever created the upload
            }
            return upload;
        } catch (RuntimeException e) {
            store.unlock(id, token);
            throw e;
        }
    }

    /** The bytes are on disk: the upload advances, and its last byte makes it a job. */
    private TusFinish.Result end(TusUpload upload, String token, long written, boolean overflow, RoutingContext ctx) {
        long offset = upload.offset() + written;
        Instant now = clock.instant();
        Instant unwritten = now.plus(expiry);
        Instant latest = upload.createdAt().plus(maxAge);
        Instant expires = unwritten.isBefore(latest) ? unwritten : latest;
        if (!expires.isAfter(now)) {
            // Never in the past: a PATCH that ran past the maximum age keeps the upload a minute, for its job to be
            // made or its client to hear where it stands; none may begin after it (begin).
            expires = now.plus(GRACE);
        }
        if (!store.advance(upload.id(), token, upload.offset(), offset, expires)) {
            // Moved on meanwhile, or about to (another request took the lock over): a 404 would make the client give
            // the upload up.
            throw store.find(upload.id()).isPresent() ? new TusError(409, "Upload " + upload.id() + " moved on while "
                    + "these bytes came in: ask with HEAD and continue from there.") : TusHandlers.unknown(upload.id());
        }
        TusUpload advanced = upload.at(offset, expires);
        if (overflow) {
            throw new TusError(413, "The body held more than the " + upload.remaining() + " bytes the upload lacked "
                                    + "(Upload-Length " + upload.length() + "); the bytes up to its length are kept.");
        }
        return advanced.complete() ? finish.submit(advanced, token, ctx.user()) : TusFinish.Result.written(advanced);
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
