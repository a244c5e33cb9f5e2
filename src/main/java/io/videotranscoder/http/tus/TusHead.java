package io.videotranscoder.http.tus;

import java.util.UUID;

import io.videotranscoder.access.Caller;
import io.videotranscoder.refusal.Refusal;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code HEAD /uploads/<id>}: where the upload stands, and the job it became. */
final class TusHead {

    private static final Logger LOG = LoggerFactory.getLogger(TusHead.class);

    private final TusPatch patch;
    private final TusLocks locks;
    private final TusFinish finish;

    TusHead(TusPatch patch, TusLocks locks, TusFinish finish) {
        this.patch = patch;
        this.locks = locks;
        this.finish = finish;
    }

    /**
     * {@code HEAD} of an upload: its offset, and for a complete upload its job. A complete upload without a job (the
     * process died between its last byte and its job, or the job could not be made then) is made a job first: a
     * client that reads an offset equal to the length counts the upload done and never sends the PATCH that would.
     * Until it can be (another request is making it one, Redis or the disk is short, the key's quota is full), the
     * answer is {@code 423} with {@code Retry-After}, which tus clients retry: any other error makes them upload the
     * whole file again. A file refused as content is answered as a PATCH would be: it cannot become a job.
     */
    void handle(RoutingContext ctx, TusUpload found) {
        if (!found.complete() || found.job() != null) {
            TusAnswers.head(ctx, found).end();
            return;
        }
        String token = UUID.randomUUID().toString();
        Caller caller = TusHandlers.caller(ctx);
        ctx.vertx().executeBlocking(() -> patch.begin(found.id(), found.offset(), 0, token, caller), false)
                .onComplete(begun -> {
                    if (begun.failed()) {
                        notYet(ctx, begun.cause());
                    } else if (begun.result().job() != null) {
                        TusAnswers.head(ctx, begun.result()).end();
                    } else {
                        locks.thenUnlock(ctx, found.id(), token, () -> finish.submit(begun.result(), ctx.user()),
                                result -> answer(ctx, result), failure -> notYet(ctx, failure));
                    }
                });
    }

    /** The job made (the HEAD names it), the file refused as content (answered as a PATCH is), or not yet. */
    private static void answer(RoutingContext ctx, TusFinish.Result result) {
        if (result.status() == 204) {
            TusAnswers.head(ctx, result.upload()).end();
        } else if (TusFinish.refusedContent(result.status())) {
            result.answer(ctx);
        } else {
            notYet(ctx, null);
        }
    }

    /** A complete upload that is not a job yet: 423 and when to ask again; an unknown upload's 404 as it is. */
    private static void notYet(RoutingContext ctx, Throwable failure) {
        if (failure instanceof Refusal refusal && refusal.kind() == Refusal.Kind.NOT_FOUND) {
            TusAnswers.failure(ctx, failure);
            return;
        }
        if (failure != null && !(failure instanceof TusError) && !(failure instanceof Refusal)
            && !TusAnswers.unreachable(failure)) {
            LOG.error("Failed to make complete upload {} a job", ctx.pathParam("id"), failure);
        }
        TusAnswers.start(ctx, 423).putHeader("Retry-After", "5").end();
    }
}
