package io.videotranscoder.job;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.queue.StreamLease;
import org.apache.camel.Exchange;

/**
 * An attempt's identity and fence. Each time a worker begins a job it stores a new token on it; the attempt's writes
 * carry the token and are refused once another attempt began ({@link AttemptLost}). Its queue entry's lease tells it
 * sooner: once the lease is lost the attempt stops its FFmpeg and goes no further.
 */
final class Attempts {

    /** The token of this attempt, stored on the job when it began: every write of the attempt is checked against it. */
    static final String PROPERTY = "transcoderAttempt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Attempts() {
    }

    /** A new attempt's token: 16 hexadecimal digits, also the name of its work folder. */
    static String token() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** This attempt's token; empty before the job began (a write with it is not fenced). */
    static String of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, "", String.class);
    }

    /** Runs {@code stop} as soon as the exchange's queue entry is taken over by another worker. */
    static void stopWhenLost(Exchange exchange, Runnable stop) {
        StreamLease lease = exchange.getProperty(RedisStreamConstants.LEASE, StreamLease.class);
        if (lease != null) {
            lease.onLost(stop);
        }
    }

    /** @throws AttemptLost when the exchange's queue entry was taken over by another worker, as Redis says now */
    static void requireLease(Exchange exchange, String id) {
        StreamLease lease = exchange.getProperty(RedisStreamConstants.LEASE, StreamLease.class);
        if (lease != null && !lease.confirm()) {
            throw new AttemptLost(id, of(exchange));
        }
    }

    /** @throws AttemptLost when the lease was lost or another attempt began the job: before anything is published */
    static void requireHeld(Exchange exchange, AttemptFence fence, String id) {
        requireLease(exchange, id);
        fence.check(id, of(exchange));
    }
}
