package io.videotranscoder.http.tus;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/**
 * An upload's write lock around the work a request does off the event loop: renewed while the work runs, released
 * before the answer. One request at a time writes an upload, or makes it a job.
 */
final class TusLocks {

    /** A write lock lives this long unless renewed, which its holder does every third of it. */
    static final long LOCK_MILLIS = 30_000;
    /**
     * Uploads made jobs at once: with an object store, each copies its whole file there (minutes, for gigabytes), on a
     * thread of its own. On Vert.x's shared worker threads, twenty at once held every one, and with them every route
     * and key check; more wait their turn, their locks renewed.
     */
    static final int FINISHES_AT_ONCE = 4;
    /** The name of their threads' pool, one per Vert.x instance. */
    static final String FINISHES = "tus-finishes";

    private final TusStore store;
    private final long millis;
    private volatile WorkerExecutor finishes;

    TusLocks(TusStore store) {
        this(store, LOCK_MILLIS);
    }

    /** @param millis how long a lock lives unless renewed: shorter in a test that waits for a renewal */
    TusLocks(TusStore store, long millis) {
        this.store = store;
        this.millis = millis;
    }

    /** @return whether the lock was taken under {@code token} */
    boolean take(String id, String token) {
        return store.lock(id, token, millis);
    }

    /** The refusal (423) of a request that finds the lock another request's. */
    static TusError held(String id) {
        return new TusError(423, "Upload " + id + " is being written by another request (or made a job); try again"
                                 + " shortly.");
    }

    /**
     * Runs {@code work} off the event loop, the lock renewed while it runs (making a job may copy the file into an
     * object store), then releases the lock and answers, whatever happened.
     *
     * @param makesJob whether {@code work} may make the upload a job (its last bytes, or a client asking again): on the
     *                 finishes' own threads; a PATCH that does not complete its upload only advances its offset (one
     *                 write to Redis), which never waits behind other uploads' copies into the object store
     */
    void thenUnlock(RoutingContext ctx, String id, String token, boolean makesJob, Callable<TusFinish.Result> work) {
        thenUnlock(ctx, id, token, makesJob, work, result -> result.answer(ctx),
                failure -> TusAnswers.failure(ctx, failure));
    }

    void thenUnlock(RoutingContext ctx, String id, String token, boolean makesJob,
            Callable<TusFinish.Result> work, Consumer<TusFinish.Result> answer, Consumer<Throwable> failed) {
        // Making a job cannot be stopped half-way: a lock lost meanwhile changes nothing here.
        Runnable stopRenewal = renewal(ctx, id, token, () -> { });
        Future<TusFinish.Result> worked = makesJob ? finishes(ctx.vertx()).executeBlocking(work, false)
                : ctx.vertx().executeBlocking(work, false);
        worked.onComplete(done -> {
            stopRenewal.run();
            unlock(ctx, id, token, () -> {
                if (done.succeeded()) {
                    answer.accept(done.result());
                } else {
                    failed.accept(done.cause());
                }
            });
        });
    }

    private WorkerExecutor finishes(Vertx vertx) {
        if (finishes == null) {
            synchronized (this) {
                if (finishes == null) {
                    finishes = vertx.createSharedWorkerExecutor(FINISHES, FINISHES_AT_ONCE);
                }
            }
        }
        return finishes;
    }

    /**
     * Releases the lock, then answers: a client sends its next PATCH as soon as it has the answer, and would find the
     * upload still locked (423). A lock that cannot be released (Redis away) expires on its own.
     */
    void unlock(RoutingContext ctx, String id, String token, Runnable answer) {
        ctx.vertx().executeBlocking(() -> {
            store.unlock(id, token);
            return null;
        }, false).onComplete(released -> answer.run());
    }

    /**
     * Renews the lock while the bytes stream in (or a job is made); the returned action stops it. A renewal that finds
     * the lock gone or another request's (it lapsed: Redis was away, or this process starved past its life) stops and
     * runs {@code lost} on the event loop, since another request may be writing the file by now. One that fails (Redis
     * unreachable) is tried again at the next tick: the lock may still be this request's.
     */
    Runnable renewal(RoutingContext ctx, String id, String token, Runnable lost) {
        AtomicBoolean stopped = new AtomicBoolean();
        long timer = ctx.vertx().setPeriodic(millis / 3, t -> ctx.vertx().executeBlocking(
                () -> store.renew(id, token, millis), false).onSuccess(held -> {
                    if (!held && stopped.compareAndSet(false, true)) {
                        ctx.vertx().cancelTimer(t);
                        lost.run();
                    }
                }));
        return () -> {
            stopped.set(true); // a renewal under way when the holder stopped is no longer its concern
            ctx.vertx().cancelTimer(timer);
        };
    }
}
