package io.videotranscoder.http.tus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobSubmitter;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * A complete upload becomes a job through the route {@code finish-upload}, which checks it and hands it to
 * {@code submit-job} as a multipart {@code POST /jobs} does. A refused upload (not a video, a preset gone) is removed;
 * one that failed for a passing cause (over the quota, Redis unreachable) is kept, and the client's next PATCH tries
 * again.
 */
class TusFinish {

    /**
     * Answers that refuse the upload itself (a bad option, not a video, an empty file): sending it again cannot help.
     * Any other (over the quota, Redis unreachable) passes, and the upload waits for the client's next try.
     */
    private static final Set<Integer> REFUSED_CONTENT = Set.of(400, 415, 422);

    private final ProducerTemplate producer;
    private final TusStore store;
    private final TusFiles files;
    private final TusJobs jobs;
    private final TusHolders holders;

    TusFinish(ProducerTemplate producer, TusStore store, TusFiles files, TusJobs jobs, TusHolders holders) {
        this.producer = producer;
        this.store = store;
        this.files = files;
        this.jobs = jobs;
        this.holders = holders;
    }

    /** What a PATCH is answered: 204 with the offset (and the job, once there is one), or the route's problem. */
    record Result(TusUpload upload, int status, String contentType, String body, String retryAfter) {

        static Result written(TusUpload upload) {
            return new Result(upload, 204, null, null, null);
        }

        void answer(RoutingContext ctx) {
            if (ctx.response().ended() || ctx.response().headWritten()) {
                return; // answered already: the body came too slowly (408), and what came is kept
            }
            HttpServerResponse response = TusAnswers.start(ctx, status);
            if (status != 204) {
                if (retryAfter != null) {
                    response.putHeader("Retry-After", retryAfter);
                }
                response.putHeader("Content-Type", contentType).end(body);
                return;
            }
            response.putHeader(TusAnswers.OFFSET, Long.toString(upload.offset()))
                    .putHeader(TusAnswers.EXPIRES, TusAnswers.date(upload.expiresAt()));
            TusAnswers.withJob(ctx, response, upload.job());
            response.end();
        }
    }

    /**
     * Runs the route for {@code upload} (complete, its write lock held with {@code token}) as the caller {@code user}
     * (null where keys are not checked), once its bytes are all here ({@link TusHolders#lacking}).
     */
    Result submit(TusUpload upload, String token, User user) {
        Optional<String> made = jobs.madeAlready(upload);
        if (made.isPresent()) {
            return Result.written(upload.withJob(made.get()));
        }
        Optional<TusUpload> lacking = holders.lacking(upload, token, () -> jobs.beingMade(upload.id()));
        if (lacking.isPresent()) {
            return Result.written(lacking.get());
        }
        Exchange done = producer.send("direct:finish-upload", exchange -> {
            exchange.setProperty(TusJobs.UPLOAD, upload);
            exchange.getIn().setHeader(Exchange.HTTP_URI, "/uploads/" + upload.id());
            if (user != null) {
                exchange.getIn().setHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER, user);
            }
        });
        if (done.getException() != null) {
            throw new IllegalStateException("finish-upload failed", done.getException());
        }
        int status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (status < 300) {
            return Result.written(upload.withJob(done.getProperty(JobSubmitter.JOB, Job.class).id()));
        }
        if (REFUSED_CONTENT.contains(status)) {
            discard(upload);
        }
        return new Result(upload, status, done.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class),
                done.getMessage().getBody(String.class), done.getMessage().getHeader("Retry-After", String.class));
    }

    /** A refused upload cannot become a job by sending it again: its record and bytes go. */
    private void discard(TusUpload upload) {
        store.delete(upload.id());
        try {
            files.delete(upload.id());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // housekeeping removes it once the record is gone
        }
    }
}
