package io.videotranscoder.http.tus;

import java.time.Instant;

import io.videotranscoder.http.HttpDates;
import io.videotranscoder.http.OutputDownload;
import io.videotranscoder.http.Problem;
import io.videotranscoder.http.Problems;
import io.videotranscoder.redis.RedisFailures;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The headers, their checks and the problem answers of the tus protocol, one place for every handler. */
final class TusAnswers {

    static final String VERSION = "1.0.0";
    static final String RESUMABLE = "Tus-Resumable";
    static final String OFFSET = "Upload-Offset";
    static final String LENGTH = "Upload-Length";
    static final String METADATA = "Upload-Metadata";
    static final String EXPIRES = "Upload-Expires";
    /** The job a complete upload became: its id, and its URL as a path. */
    static final String JOB_ID = "Job-Id";
    static final String JOB_LOCATION = "Job-Location";
    static final String OFFSET_CONTENT_TYPE = "application/offset+octet-stream";

    private static final Logger LOG = LoggerFactory.getLogger(TusAnswers.class);

    private TusAnswers() {
    }

    /** Every answer but OPTIONS says the protocol version, errors included. */
    static HttpServerResponse start(RoutingContext ctx, int status) {
        return ctx.response().setStatusCode(status).putHeader(RESUMABLE, VERSION).putHeader("Cache-Control", "no-store");
    }

    /** HTTP's date (IMF-fixdate, a two-digit day), as the expiration extension says. */
    static String date(Instant instant) {
        return HttpDates.format(instant);
    }

    /** A HEAD's answer: where the upload stands, and its job once there is one. */
    static HttpServerResponse head(RoutingContext ctx, TusUpload upload) {
        HttpServerResponse response = start(ctx, 200).putHeader(OFFSET, Long.toString(upload.offset()))
                .putHeader(LENGTH, Long.toString(upload.length())).putHeader(EXPIRES, date(upload.expiresAt()));
        if (!upload.metadata().isEmpty()) {
            response.putHeader(METADATA, TusMetadata.format(upload.metadata()));
        }
        withJob(ctx, response, upload.job());
        return response;
    }

    static void withJob(RoutingContext ctx, HttpServerResponse response, String job) {
        if (job != null) {
            // Relative to the upload's URL (a slash after it is one more level), as its Location is to the creation's:
            // kept behind a proxy's path prefix.
            response.putHeader(JOB_ID, job)
                    .putHeader(JOB_LOCATION, OutputDownload.relativeTo(ctx.request().path(), "../jobs/" + job));
        }
    }

    static void problem(RoutingContext ctx, int status, String detail) {
        answer(ctx, Problem.of(status, detail, ctx.request().path()));
    }

    /** A refusal of the protocol or of the core, Redis unreachable (503), or a fault of the service (500, logged). */
    static void failure(RoutingContext ctx, Throwable failure) {
        if (failure instanceof TusError error) {
            problem(ctx, error.status(), error.getMessage());
        } else if (failure instanceof Refusal refusal) {
            Problems.retryAfter(refusal).ifPresent(seconds -> ctx.response().putHeader("Retry-After", seconds));
            answer(ctx, Problem.of(refusal, ctx.request().path()));
        } else if (unreachable(failure)) {
            ctx.response().putHeader("Retry-After", "5");
            answer(ctx, new Problem(503, "Service unavailable", "The upload store cannot be reached; try again shortly.",
                    null, ctx.request().path()));
        } else {
            LOG.error("Failed to serve {} {}", ctx.request().method(), ctx.request().path(), failure);
            problem(ctx, 500, "The service failed to handle this request; it has been logged.");
        }
    }

    /** Redis away, or refusing writes for now (full, a replica since a failover): a 503 to send again. */
    static boolean unreachable(Throwable failure) {
        return RedisFailures.passingAmong(failure);
    }

    private static void answer(RoutingContext ctx, Problem problem) {
        if (!ctx.response().ended() && !ctx.response().headWritten()) {
            if (!ctx.request().isEnded()) {
                ctx.response().putHeader("Connection", "close"); // the body is not read
            }
            start(ctx, problem.status()).putHeader("Content-Type", Problem.CONTENT_TYPE).end(problem.json());
        }
    }

    /** A request of another protocol version is answered 412 with the one this server speaks. */
    static boolean speaksVersion(RoutingContext ctx) {
        String version = ctx.request().getHeader(RESUMABLE);
        if (VERSION.equals(version)) {
            return true;
        }
        ctx.response().putHeader("Tus-Version", VERSION);
        problem(ctx, 412, "Send Tus-Resumable: " + VERSION + ", the tus version this server speaks"
                          + (version == null ? "." : ", not " + version + "."));
        return false;
    }

    /** A header's whole non-negative number, or -1. */
    static long number(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /**
     * tus asks for {@code Tus-Resumable} on every answer but an OPTIONS one's: also on the refusals made before the tus
     * handlers run (a key missing, a body too large), which know nothing of the protocol.
     */
    static void everyResumable(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.OPTIONS) {
            ctx.addHeadersEndHandler(v -> {
                if (!ctx.response().headers().contains(RESUMABLE)) {
                    ctx.response().putHeader(RESUMABLE, VERSION);
                }
            });
        }
        ctx.next();
    }
}
