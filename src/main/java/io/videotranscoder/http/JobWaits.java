package io.videotranscoder.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.access.Caller;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobEvents;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.Tenancy;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * {@code GET /jobs/{id}?wait=N}: the answer waits until the job has ended (succeeded, failed or cancelled) or N seconds
 * have passed, whichever comes first, so that a client learns of the end at once instead of polling. The wait holds no
 * thread: the request is parked in Vert.x and handed to the usual route, which answers the job as it then stands.
 */
public class JobWaits implements StartupListener {

    /** Under the server's idle timeout, so that a quiet wait never loses its connection. */
    public static final int MAX_SECONDS = 60;
    /** Beyond this many open waits, a request is answered at once, as without {@code wait}. */
    static final int MAX_WAITING = 10_000;

    private final JobStore store;
    private final JobEvents events;
    private final int port;
    private final AtomicInteger waiting = new AtomicInteger();
    private final KeyedCounts perKey;

    /**
     * @param port      the API's port; in a process without the API, nothing is installed and nothing listens
     * @param maxPerKey the waits one API key may hold open in this process; past it, answered at once: one key held
     *                  every one of the process's waits, and every other tenant's were answered at once
     */
    public JobWaits(JobStore store, JobEvents events, int port, int maxPerKey) {
        this.store = store;
        this.events = events;
        this.port = port;
        this.perKey = new KeyedCounts(maxPerKey);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        Router router = RouterErrors.apiRouter(context, port);
        if (router != null) {
            context.addService(events, true, true);
            // After the body guards and the access check (a wait is held for a caller who may read the job), before
            // the route.
            router.get("/jobs/:id").order(AccessGuard.ORDER + 2).handler(this::hold);
        }
    }

    /** How many requests wait now. */
    public int waiting() {
        return waiting.get();
    }

    private void hold(RoutingContext ctx) {
        List<String> waits = ctx.queryParam("wait");
        if (waits.isEmpty()) {
            ctx.next();
            return;
        }
        if (waits.size() > 1) {
            RouterErrors.refused(ctx, Parameters.repeated("wait", waits.size()));
            return;
        }
        String wait = waits.get(0);
        int seconds = seconds(wait);
        if (seconds < 0) {
            RouterErrors.refused(ctx, Refusal.invalidField("wait", "wait must be a whole number of seconds from 0 to "
                                                                   + MAX_SECONDS + "; got \"" + wait + "\"."));
            return;
        }
        String id = ctx.pathParam("id");
        if (seconds == 0 || !JobIds.valid(id) || waiting.get() >= MAX_WAITING || ctx.user() == null) {
            ctx.next(); // answered at once (the route refuses a request that passed no access check)
            return;
        }
        Caller caller = Callers.caller(ctx.user());
        if (!perKey.take(caller.keyId())) {
            ctx.next(); // this key's share of the waits is taken: answered at once, as past the process's
            return;
        }
        Tenancy tenancy = JobOwners.tenancy(caller);
        waiting.incrementAndGet();
        ctx.request().pause(); // a body (even Content-Length: 0) must wait for the route's body handler
        Context context = ctx.vertx().getOrCreateContext();
        AtomicBoolean over = new AtomicBoolean();
        long[] timer = new long[1];
        Runnable[] unlisten = new Runnable[1];
        Runnable release = () -> {
            if (over.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer[0]);
                unlisten[0].run();
                waiting.decrementAndGet();
                perKey.giveBack(caller.keyId());
            }
        };
        Runnable answer = () -> context.runOnContext(v -> {
            if (!over.get()) {
                release.run();
                ctx.next();
            }
        });
        // Listen first, then look: an end between the two is heard, an end before them is seen.
        unlisten[0] = events.onEnd(id, answer);
        timer[0] = ctx.vertx().setTimer(seconds * 1000L, t -> answer.run());
        ctx.response().closeHandler(v -> release.run()); // the client gave up: nothing to answer
        // Another tenant's job is answered at once, like a missing one, so that a wait cannot tell it exists.
        ctx.vertx().executeBlocking(() -> store.find(id).filter(tenancy::sees).map(Job::status), false)
                .onComplete(looked -> {
                    if (looked.failed() || looked.result().map(JobStatus::terminal).orElse(true)) {
                        answer.run(); // ended, missing, or Redis unreachable: the route says which
                    }
                });
    }

    /** @return the seconds asked for, or -1 when that is not a whole number from 0 to {@link #MAX_SECONDS} */
    static int seconds(String wait) {
        if (wait.isEmpty() || wait.length() > 2 || !wait.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int seconds = Integer.parseInt(wait);
        return seconds <= MAX_SECONDS ? seconds : -1;
    }
}
