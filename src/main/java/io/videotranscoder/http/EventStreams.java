package io.videotranscoder.http;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.videotranscoder.access.JobOwners;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.events.EventFilter;
import io.videotranscoder.events.EventTokens;
import io.videotranscoder.events.LiveEvents;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code GET /jobs/{id}/events} and {@code GET /events}: a job's, or the caller's tenant's, events as Server-Sent
 * Events, held open as Vert.x answers (an exchange cannot stream an answer without end). A stream resumes after the
 * client's {@code Last-Event-ID}; one job's begins with the whole job ({@code job.state}) and ends with it. At most
 * {@code maxStreams} are open at once; past that, a 503. A key's streams end soon after the key is revoked or expires
 * ({@link KeyedStreams}), and every stream ends when the service stops ({@link OpenStreams}).
 */
public class EventStreams implements StartupListener {

    /** After the access check (a stream is opened for a caller who may read it), before the routes' handlers. */
    static final int ORDER = AccessGuard.ORDER + 2;
    /** Before the key check: a valid token stands in for a key. */
    static final int TOKEN_ORDER = -1500;
    static final String STOPPING = "This server is stopping; reconnect in a moment (another instance will answer).";

    private final LiveEvents live;
    private final StreamBeginnings beginnings;
    private final EventTokenCheck tokenCheck;
    private final KeyedStreams keyed;
    private final int port;
    private final int maxStreams;
    private final Duration keepAlive;
    private final AtomicInteger open = new AtomicInteger();
    private final OpenStreams streams = new OpenStreams();

    public EventStreams(LiveEvents live, JobStore jobs, EventTokens tokens, KeyStore keys, KeyedStreams keyed,
            ObjectMapper json, Clock clock, int port, int maxStreams, Duration keepAlive) {
        this.live = live;
        this.beginnings = new StreamBeginnings(live, jobs, json, clock);
        this.tokenCheck = new EventTokenCheck(tokens, keys, clock);
        this.keyed = keyed;
        this.port = port;
        this.maxStreams = maxStreams;
        this.keepAlive = keepAlive;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        context.addService(live, true, true);
        context.addLifecycleStrategy(streams);
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (meters != null) {
            Gauge.builder("transcoder.event.streams.open", open, AtomicInteger::get)
                    .description("Event streams (GET /events, GET /jobs/{id}/events) open in this process")
                    .register(meters);
        }
        for (String path : new String[] {"/events", "/jobs/:id/events"}) {
            router.get(path).order(TOKEN_ORDER).handler(tokenCheck::streams);
        }
        // A browser saving an output cannot send a key either: the page's download links carry a token.
        router.route("/jobs/:id/outputs/*").method(HttpMethod.GET).method(HttpMethod.HEAD).order(TOKEN_ORDER)
                .handler(tokenCheck::downloads);
        keyed.start(context.getRegistry().lookupByNameAndType("vertx", Vertx.class));
        router.get("/events").order(ORDER).handler(ctx -> serve(ctx, null));
        router.get("/jobs/:id/events").order(ORDER).handler(ctx -> serve(ctx, ctx.pathParam("id")));
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    private void serve(RoutingContext ctx, String job) {
        if (ctx.user() == null) {
            ctx.fail(new IllegalStateException("An event stream was asked without an access check"));
            return;
        }
        if (streams.stopping()) {
            ctx.response().putHeader("Retry-After", "1");
            RouterErrors.problem(ctx, 503, STOPPING);
            return;
        }
        String keyId = Callers.caller(ctx.user()).keyId();
        if (!keyed.admits(keyId)) {
            ctx.response().putHeader("Retry-After", "5");
            RouterErrors.problem(ctx, 429, "This API key has " + keyed.maxPerKey() + " event streams open on this"
                                           + " server, as many as one key may (TRANSCODER_MAX_EVENT_STREAMS_PER_KEY):"
                                           + " close one, or follow every job on one stream (GET /events).");
            return;
        }
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            ctx.response().putHeader("Retry-After", "5");
            RouterErrors.problem(ctx, 503, "This server has " + maxStreams + " event streams open, as many as it "
                                           + "keeps (TRANSCODER_MAX_EVENT_STREAMS); try again shortly.");
            return;
        }
        EventResponse response = new EventResponse(ctx, keepAlive, done -> {
            open.decrementAndGet();
            streams.remove(done);
        });
        streams.add(response);
        keyed.add(keyId, response);
        EventFilter filter = filter(ctx, job);
        String lastEventId = ctx.request().getHeader("Last-Event-ID");
        ctx.vertx().executeBlocking(() -> beginnings.begin(filter, lastEventId, response), false).onComplete(begun -> {
            if (ctx.response().ended() || ctx.response().closed()) { // the client left, or the service is stopping
                if (begun.succeeded() && begun.result() != null) {
                    response.attach(begun.result().opening().subscription()); // closed at once
                }
                response.finish();
                return;
            }
            if (begun.failed()) {
                response.finish();
                if (begun.cause() instanceof Refusal refusal) { // an unknown job, or another tenant's
                    RouterErrors.refused(ctx, refusal);
                } else if (begun.cause() instanceof JedisException) {
                    unavailable(ctx);
                } else {
                    ctx.fail(begun.cause());
                }
                return;
            }
            StreamBeginnings.Beginning beginning = begun.result();
            if (beginning == null) {
                response.finish();
                ctx.response().setStatusCode(204).end(); // the job ended and the client saw it: no reconnecting
                return;
            }
            response.attach(beginning.opening().subscription());
            response.begin(beginning.first());
            if (beginning.over()) {
                response.end();
            } else {
                beginning.opening().begin();
            }
        });
    }

    /** The events the caller (a key's, or a token's) may see: its tenant's, every tenant's for an admin. */
    private static EventFilter filter(RoutingContext ctx, String job) {
        String tenant = JobOwners.tenancy(Callers.caller(ctx.user())).tenant();
        return job == null ? EventFilter.tenant(tenant) : EventFilter.job(job, tenant);
    }

    static void unavailable(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", "5");
        RouterErrors.problem(ctx, 503, "The job store cannot be reached; try again shortly.");
    }
}
