package io.videotranscoder.http.tus;

import java.util.Set;
import java.util.UUID;

import io.videotranscoder.access.Caller;
import io.videotranscoder.refusal.Refusal;
import io.vertx.ext.web.RoutingContext;

/** {@code HEAD /uploads/<id>}: where the upload stands, and the job it became. */
final class TusHead {

    /** What the finish answers for a cause that passes: the key's quota full, Redis or the disk short. */
    private static final Set<Integer> PASSING = Set.of(429, 503, 507);

    private final TusPatch patch;
    private final TusLocks locks;
    private final TusFinish finish;
    private final TusHolders holders;

    TusHead(TusPatch patch, TusLocks locks, TusFinish finish, TusHolders holders) {
        this.patch = patch;
        this.locks = locks;
        this.finish = finish;
        this.holders = holders;
    }

    /**
     * {@code HEAD} of an upload: its offset, and for a complete upload its job; {@code 410} for one whose bytes are
     * gone with the instance that kept them ({@link TusHolders}), which the client then starts over. A complete
     * upload without a job (the process died between its last byte and its job, or the job could not be made then) is
     * made a job first: a client that reads an offset equal to the length counts the upload done and never sends the
     * PATCH that would.
     * Until it can be (another request is making it one, Redis or the disk is short, the key's quota is full), the
     * answer is {@code 423} with {@code Retry-After}, which tus clients retry: any other error makes them upload the
     * whole file again. Any other refusal is answered as the PATCH would have been.
     */
    void handle(RoutingContext ctx, TusUpload found) {
        if (!found.complete()) {
            TusHandlers.blocking(ctx, () -> holders.gone(found), gone -> {
                if (gone.isPresent()) {
                    TusAnswers.failure(ctx, gone.get());
                } else {
                    TusAnswers.head(ctx, found).end();
                }
            });
            return;
        }
        if (found.job() != null) {
            TusAnswers.head(ctx, found).end();
            return;
        }
        String token = UUID.randomUUID().toString();
        Caller caller = TusHandlers.caller(ctx);
        ctx.vertx().executeBlocking(() -> patch.begin(found.id(), found.offset(), 0, token, caller), false)
                .onComplete(begun -> {
                    if (begun.failed()) {
                        failed(ctx, begun.cause());
                    } else if (begun.result().job() != null) {
                        TusAnswers.head(ctx, begun.result()).end();
                    } else {
                        locks.thenUnlock(ctx, found.id(), token, true,
                                () -> finish.submit(begun.result(), token, ctx.user()), result -> answer(ctx, result),
                                failure -> failed(ctx, failure));
                    }
                });
    }

    /** The job made (the HEAD names it), not yet (a passing cause), or why not, as a PATCH is answered. */
    private static void answer(RoutingContext ctx, TusFinish.Result result) {
        if (result.status() == 204) {
            TusAnswers.head(ctx, result.upload()).end();
        } else if (PASSING.contains(result.status())) {
            notYet(ctx);
        } else {
            result.answer(ctx);
        }
    }

    /** Another request holds the upload, Redis or the disk is short: not yet; any other failure as it is. */
    private static void failed(RoutingContext ctx, Throwable failure) {
        boolean passing = failure instanceof TusError error && error.status() == 423
                          || failure instanceof Refusal refusal && (refusal.kind() == Refusal.Kind.NO_SPACE
                                                                    || refusal.kind() == Refusal.Kind.UNAVAILABLE)
                          || TusAnswers.unreachable(failure);
        if (passing) {
            notYet(ctx);
        } else {
            TusAnswers.failure(ctx, failure);
        }
    }

    /** A complete upload that is not a job yet: 423, and when to ask again. */
    private static void notYet(RoutingContext ctx) {
        TusAnswers.start(ctx, 423).putHeader("Retry-After", "5").end();
    }
}
