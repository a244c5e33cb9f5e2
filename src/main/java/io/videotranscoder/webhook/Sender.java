package io.videotranscoder.webhook;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.queue.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a delivery, around the route's HTTP step: {@link #prepare} signs the request (or finds nothing to
 * send), {@link #answered} or {@link #failed} judges what came back and records it with what follows.
 */
public class Sender {

    /** Exchange property: the attempt under way; absent when there is nothing to send. */
    public static final String SENDING = "transcoderWebhookSending";
    private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
    /** How soon a delivery this service could not attempt (its lookups all busy) is tried. */
    static final Duration LOOKUPS_BUSY_WAIT = Duration.ofSeconds(30);

    private record Sending(Delivery delivery, Endpoint endpoint, String entry, Instant startedAt, long startNanos) {
    }

    private final DeliveryStore store;
    private final Endpoints endpoints;
    private final Judge judge;
    private final CallbackKeys callbackKeys;
    private final Duration timeout;
    private final HostTurns turns;
    private final Clock clock;

    /**
     * @param callbackKeys what jobs' own callbacks are signed with
     * @param timeout     how long an attempt has, in all, for its whole answer
     * @param concurrency how many attempts this process makes at once: at most half of them to one slow host
     */
    public Sender(DeliveryStore store, Endpoints endpoints, Judge judge, CallbackKeys callbackKeys, Duration timeout,
            int concurrency, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.judge = judge;
        this.callbackKeys = callbackKeys;
        this.timeout = timeout;
        this.turns = HostTurns.forSenders(concurrency, timeout);
        this.clock = clock;
    }

    /** Readies the request of the delivery a send entry names: its URL, body and Standard Webhooks headers. */
    public void prepare(Exchange exchange) {
        Message in = exchange.getIn();
        String entry = in.getHeader(RedisStreamConstants.ENTRY_ID, String.class);
        String id = String.valueOf(in.getBody(Map.class).get("delivery"));
        Delivery d = store.load(id).orElse(null);
        if (d == null || d.state() != Delivery.State.PENDING || DeliveryStore.staleEntry(d, entry)) {
            return; // ended, expired, or this entry's attempt is recorded already
        }
        if (in.getHeader(RedisStreamConstants.EXHAUSTED, false, Boolean.class)) {
            judge.giveUp(d, entry, "attempts failed within the service, however often tried");
            return;
        }
        Instant now = clock.instant();
        Endpoint endpoint = d.toCallback() ? null : endpoints.find(d.target()).orElse(null);
        Optional<String> unsendable = unsendable(d, endpoint);
        if (unsendable.isPresent()) {
            judge.abandon(d, entry, unsendable.get());
            return;
        }
        String url = endpoint == null ? d.url() : endpoint.url();
        HostTurns.Turn turn = turns.take(url, d.tenant());
        if (turn == null) {
            // Not counted: the receiver was not tried. Due again once an attempt under way has ended or timed out.
            judge.notMade(d, entry, WebhookMeters.Deferral.HOST_SLOW, timeout, turns.perHost() + " attempts to "
                    + "receivers slow lately are under way (" + HostTurns.host(url) + ", or its tenant's, was)");
            return;
        }
        long taken = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                turns.give(turn, Duration.ofNanos(System.nanoTime() - taken));
            }
        });
        List<byte[]> keys = endpoint == null ? List.of(callbackKeys.of(d.tenant())) : endpoint.signingKeys(now);
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_URI, url);
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader("User-Agent", "video-transcoder-webhooks/1");
        in.setHeader("webhook-id", d.webhookId());
        in.setHeader("webhook-timestamp", Long.toString(now.getEpochSecond()));
        in.setHeader("webhook-signature", Signer.signatures(d.webhookId(), now.getEpochSecond(), d.body(), keys));
        in.setBody(d.body().getBytes(StandardCharsets.UTF_8)); // exactly the bytes signed, whatever the charset
        exchange.setProperty(SENDING, new Sending(d, endpoint, entry, now, System.nanoTime()));
    }

    private Optional<String> unsendable(Delivery d, Endpoint endpoint) {
        if (d.toCallback()) {
            if (!callbackKeys.set()) {
                return Optional.of("TRANSCODER_WEBHOOK_SECRET is no longer set");
            }
            // The receiver answered 410 to another of the job's deliveries: it wants none of them, retries included.
            return store.callbackGone(d.job()) ? Optional.of("the job's callback answered 410 Gone") : Optional.empty();
        }
        if (endpoint == null) {
            return Optional.of("its endpoint was deleted");
        }
        return endpoint.enabled() ? Optional.empty() : Optional.of("its endpoint is disabled");
    }

    /** The receiver answered: its status decides, if the whole answer came in time. */
    public void answered(Exchange exchange) {
        Sending s = exchange.getProperty(SENDING, Sending.class);
        Duration latency = elapsed(s);
        if (late(latency)) {
            // The client cancelled the attempt at the timeout while the body was coming, and camel-http takes a body
            // cut short as an ended one (it ignores what closing it throws): a status came, not the answer.
            judge.judge(s.delivery(), s.endpoint(), s.entry(), s.startedAt(), latency, 0, timedOut(),
                    Optional.empty());
            return;
        }
        Message answer = exchange.getMessage();
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Optional<Duration> retryAfter = RetryAfter.parse(answer.getHeader("Retry-After", String.class),
                clock.instant());
        judge.judge(s.delivery(), s.endpoint(), s.entry(), s.startedAt(), latency, status, null, retryAfter);
    }

    /** No answer came: refused address, timeout, connection refused, TLS failure. */
    public void failed(Exchange exchange) {
        Sending s = exchange.getProperty(SENDING, Sending.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Duration latency = elapsed(s);
        Optional<Throwable> busy = lookupsBusy(cause);
        if (busy.isPresent()) {
            judge.notMade(s.delivery(), s.entry(), WebhookMeters.Deferral.LOOKUPS_BUSY, LOOKUPS_BUSY_WAIT,
                    busy.get().getMessage());
            return;
        }
        // At the timeout the client cancels the attempt, which then fails as its connection closes: "Socket closed".
        judge.judge(s.delivery(), s.endpoint(), s.entry(), s.startedAt(), latency, 0,
                late(latency) ? timedOut() : describe(cause, s.delivery().url()), Optional.empty());
    }

    private static Duration elapsed(Sending s) {
        return Duration.ofNanos(System.nanoTime() - s.startNanos());
    }

    /** The attempt took the whole timeout (measured from before the client's own start): the client cut it off. */
    private boolean late(Duration latency) {
        return latency.compareTo(timeout) >= 0;
    }

    private String timedOut() {
        return "Timed out: no whole answer within " + timeout.toMillis() + " ms";
    }

    /** Whether this service's own lookups were all busy ({@link TimedLookups.Busy}): the receiver was never tried. */
    static Optional<Throwable> lookupsBusy(Throwable error) {
        return Optional.ofNullable(ObjectHelper.getException(TimedLookups.Busy.class, error));
    }

    /**
     * What went wrong, without a stack trace, bounded: a refused address says so, anything else its own words. A name
     * that does not resolve reads as a refused one, as when the URL was given: the delivery's history would otherwise
     * tell whether a name the client chose resolves inside the service's network.
     */
    static String describe(Throwable error, String url) {
        Throwable shown = error;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AddressRefused) {
                shown = t;
            } else if (t instanceof UnknownHostException && !(t instanceof TimedLookups.NotNow)) {
                shown = new AddressRefused(AddressPolicy.notPublic(URI.create(url).getHost()));
            }
        }
        LOG.debug("Webhook attempt failed", error);
        String message = shown.getClass().getSimpleName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
