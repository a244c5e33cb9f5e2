package io.videotranscoder.http;

import java.util.Optional;

import io.videotranscoder.redis.RedisFailures;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.StoreFailures;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders failures as RFC 9457 problem JSON: the status and a reason, never a stack trace. */
public class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String QUOTA_RETRY_SECONDS = "10";
    static final String UNAVAILABLE_RETRY_SECONDS = "5";

    /** The caught exception is a {@link Refusal}: the client's request was refused. */
    public void refused(Exchange exchange) {
        Refusal refusal = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Refusal.class);
        write(exchange, Problem.of(refusal, path(exchange)));
        retryAfter(refusal).ifPresent(seconds -> exchange.getMessage().setHeader("Retry-After", seconds));
    }

    /** When a client refused so may ask again, in seconds; empty when asking again would be refused again. */
    public static Optional<String> retryAfter(Refusal refusal) {
        return switch (refusal.kind()) {
            // A slot frees when one of the key's jobs ends: short clips end in seconds, so ask again soon.
            case QUOTA_EXCEEDED -> Optional.of(QUOTA_RETRY_SECONDS);
            case UNAVAILABLE -> Optional.of(UNAVAILABLE_RETRY_SECONDS);
            default -> Optional.empty();
        };
    }

    /**
     * The 503 of a failure that passes (Redis or the object store cannot be reached, or Redis refuses writes for now:
     * full, a replica since a failover, loading its data; the request may be sent again later,
     * {@value #UNAVAILABLE_RETRY_SECONDS} s on); empty for any other failure. Used by the routes and by the
     * handlers that answer before them alike.
     */
    static Optional<Problem> unavailable(Throwable cause, String path) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String what = RedisFailures.passing(t) ? "job store"
                    : StoreFailures.passing(t).isPresent() ? "object store" : null; // no answer, or the store's failure
            if (what != null) {
                LOG.warn("{} unavailable while serving {}: {}", what, path, cause.getMessage());
                return Optional.of(new Problem(503, "Service unavailable", "The " + what + " cannot be reached; try "
                                                                              + "again shortly.", null, path));
            }
        }
        return Optional.empty();
    }

    /**
     * A fault of the service, not of the request: logged in full, answered briefly; or, when Redis or the store could
     * not be reached, a 503. That is decided here, not by an onException clause of its own: Camel matches clauses from
     * the root cause up, so the socket error inside a JedisConnectionException would reach this clause first anyway.
     */
    public void internal(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Optional<Problem> unavailable = unavailable(cause, path(exchange));
        if (unavailable.isPresent()) {
            write(exchange, unavailable.get());
            exchange.getMessage().setHeader("Retry-After", UNAVAILABLE_RETRY_SECONDS);
            return;
        }
        LOG.error("Failed to serve {}", path(exchange), cause);
        write(exchange, new Problem(500, "Internal error", "The service failed to handle this request; it has been logged.",
                null, path(exchange)));
    }

    private static void write(Exchange exchange, Problem problem) {
        Replies.reply(exchange.getMessage(), problem.status(), Problem.CONTENT_TYPE, problem.json());
    }

    /** The request's path, without its query: a token there (a download link's) is never repeated or logged. */
    private static String path(Exchange exchange) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        return uri == null ? null : uri.split("\\?", 2)[0];
    }
}
