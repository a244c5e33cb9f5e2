package io.videotranscoder.http.tus;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.vertx.ext.web.RoutingContext;

/**
 * An upload's write lock around the work a request does off the event loop: renewed while the work runs, released
 * before the answer. One request at a time writes an upload, or makes it a job.
 */
final class TusLocks {

    /** A write lock lives this long unless renewed, which its holder does every third of it. */
    static final long LOCK_MILLIS = 30_000;

    private final TusStore store;

    TusLocks(TusStore store) {
        this.store = store;
    }

    /** @return whether the lock was taken under {@code token} */
    boolean take(String id, String token) {
        return store.lock(id, token, LOCK_MILLIS);
    }

    /** The refusal (423) of a request that finds the lock another request's. */
    static TusError held(String id) {
        return new TusError(423, "Upload " + id + " is being written by another request; try again shortly.");
    }

    /**
     * Runs {@code work} off the event loop, the lock renewed while it runs (making a job may copy the file into an
     * object store), then releases the lock and answers, whatever happened.
     */
    void thenUnlock(RoutingContext ctx, String id, String token, Callable<TusFinish.Result> work) {
        thenUnlock(ctx, id, token, work, result -> result.answer(ctx), failure -> TusAnswers.failure(ctx, failure));
    }

    void thenUnlock(RoutingContext ctx, String id, String token, Callable<TusFinish.Result> work,
            Consumer<TusFinish.Result> answer, Consumer<Throwable> failed) {
        Runnable stopRenewal = renewal(ctx, id, token);
        ctx.vertx().executeBlocking(work, false).onComplete(done -> {
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

    /** Renews the lock while the bytes stream in (or a job is made); the returned action stops it. */
    Runnable renewal(RoutingContext ctx, String id, String token) {
        long timer = ctx.vertx().setPeriodic(LOCK_MILLIS / 3, t -> ctx.vertx().executeBlocking(
                () -> store.renew(id, token, LOCK_MILLIS), false));
        return () -> ctx.vertx().cancelTimer(timer);
    }
}
