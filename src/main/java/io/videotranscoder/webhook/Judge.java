package io.videotranscoder.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what an attempt came to and records it: only a 2xx delivers (a redirect is an answer like any other, never
 * followed); a 410 ends the delivery and disables its endpoint; anything else is tried again on the schedule, no
 * sooner than a {@code Retry-After} asks, until the last attempt, after which the delivery is dead-lettered. A
 * progress event is tried once: another progress, or the job's end, follows it.
 */
public class Judge {

    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);

    private final DeliveryStore store;
    private final Endpoints endpoints;
    private final RetrySchedule schedule;
    private final WebhookMeters meters;
    private final Duration retention;
    private final Clock clock;

    /** @param retention how long an ended delivery and its attempts stay readable */
    public Judge(DeliveryStore store, Endpoints endpoints, RetrySchedule schedule, WebhookMeters meters,
            Duration retention, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.schedule = schedule;
        this.meters = meters;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * @param status the receiver's status; 0 when no answer came, and then {@code error} says why
     * @param endpoint the delivery's endpoint; null for a job's callback
     */
    void judge(Delivery d, Endpoint endpoint, String entry, Instant startedAt, Duration latency, int status,
            String error, Optional<Duration> retryAfter) {
        Instant now = clock.instant();
        int made = d.attempts() + 1;
        Optional<Duration> wait = Optional.empty();
        DeliveryOutcome outcome;
        if (status >= 200 && status < 300) {
            outcome = DeliveryOutcome.DELIVERED;
        } else if (status == 410) {
            outcome = DeliveryOutcome.GONE;
            if (endpoint != null) {
                endpoints.disableGone(endpoint, "The receiver answered 410 Gone at " + now + ".");
            } else {
                store.markCallbackGone(d.job(), retention);
            }
        } else if (d.type() == EventType.PROGRESS) {
            // Not tried again: the job's next progress, or its end, says more than this one would, days later.
            outcome = DeliveryOutcome.ABANDONED;
        } else {
            wait = schedule.after(made, retryAfter);
            outcome = wait.isPresent() ? DeliveryOutcome.RETRY : DeliveryOutcome.DEAD;
        }
        Attempt attempt = new Attempt(made, startedAt, status == 0 ? null : status, error, latency.toMillis(),
                outcome.value());
        if (store.settle(d, entry, attempt, outcome, wait.orElse(null), now, retention)) {
            meters.attempted(outcome, latency);
            log(d, made, status == 0 ? error : "HTTP " + status, outcome, wait);
        }
    }

    /**
     * This service could not make the attempt now ({@code why}: its own lookups all busy, or its turns to the host all
     * taken): due again after {@code wait}, with no attempt counted, so that a burst of slow names, or a receiver that
     * never answers, does not use up other deliveries' attempts. A progress event is abandoned: it would arrive late.
     */
    void notMade(Delivery d, String entry, WebhookMeters.Deferral deferral, Duration wait, String why) {
        if (d.type() == EventType.PROGRESS) {
            abandon(d, entry, why);
        } else if (store.settle(d, entry, null, DeliveryOutcome.RETRY, wait, clock.instant(), retention)) {
            meters.deferred(deferral);
            LOG.debug("Webhook {} ({} of job {}) to {} is not sent now: {}; tried in {} ms", d.webhookId(),
                    d.type().type(), d.job(), d.target(), why, wait.toMillis());
        }
    }

    /** The delivery cannot be sent any more ({@code why}): it ends without an attempt. */
    void abandon(Delivery d, String entry, String why) {
        end(d, entry, DeliveryOutcome.ABANDONED, why);
    }

    /** The service failed to make an attempt, however often it tried ({@code why}): dead-lettered. */
    void giveUp(Delivery d, String entry, String why) {
        end(d, entry, DeliveryOutcome.DEAD, why);
    }

    private void end(Delivery d, String entry, DeliveryOutcome outcome, String why) {
        Instant now = clock.instant();
        Attempt note = new Attempt(d.attempts() + 1, now, null, "Not sent: " + why, 0, outcome.value());
        if (store.settle(d, entry, note, outcome, null, now, retention)) {
            meters.attempted(outcome, null);
            String what = "Webhook " + d.webhookId() + " (" + d.type().type() + " of job " + d.job() + ") to "
                          + d.target() + " is not sent: " + why;
            if (outcome == DeliveryOutcome.DEAD) {
                LOG.warn("{}; dead-lettered", what);
            } else {
                LOG.info(what);
            }
        }
    }

    private static void log(Delivery d, int made, String answer, DeliveryOutcome outcome, Optional<Duration> wait) {
        String what = "Webhook " + d.webhookId() + " (" + d.type().type() + " of job " + d.job() + ") to " + d.target()
                + ", attempt " + made + ": " + answer;
        switch (outcome) {
            case DELIVERED -> LOG.debug("{}: delivered", what);
            case RETRY -> LOG.info("{}; next attempt in {} ms", what, wait.orElseThrow().toMillis());
            case GONE -> LOG.info("{}: the receiver is gone, nothing more is sent there", what);
            default -> LOG.warn("{}: dead-lettered after {} attempts", what, made);
        }
    }
}
