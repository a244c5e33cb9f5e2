package io.videotranscoder.http.tus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.videotranscoder.access.Caller;
import io.videotranscoder.http.Callers;
import io.videotranscoder.http.RouterErrors;
import io.videotranscoder.job.JobIds;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.DiskSpace;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * The tus 1.0.0 protocol under {@code /uploads/} (core, creation, termination, expiration): Vert.x handlers on the
 * API's router, after its guards and access checks. An upload's state is in Redis and its bytes on the data root, so
 * any API instance continues any upload. Writing bytes is {@link TusPatch}'s.
 */
public class TusHandlers implements StartupListener {

    /** After the body guards and the access checks of the API's router, before the routes. */
    static final int ORDER = -990;
    /** Before the refusals of the router's guards and the access check, after the malformed paths'. */
    static final int RESUMABLE_ORDER = -2050;
    static final String EXTENSIONS = "creation,termination,expiration";
    private final int port;
    private final TusStore store;
    private final TusFiles files;
    private final TusJobs jobs;
    private final DiskSpace disk;
    private final TusSettings settings;
    private final Clock clock;
    private final TusLocks locks;
    private final TusHolders holders;

    public TusHandlers(int port, TusStore store, TusFiles files, TusJobs jobs, DiskSpace disk, TusSettings settings,
            Clock clock, TusHolders holders) {
        this.port = port;
        this.store = store;
        this.files = files;
        this.jobs = jobs;
        this.disk = disk;
        this.settings = settings;
        this.clock = clock;
        this.locks = new TusLocks(store);
        this.holders = holders;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router == null) {
            return; // no API in this role
        }
        TusPatch patch = new TusPatch(store, files, disk, settings.expiry(), settings.maxAge(), clock,
                new TusFinish(context.createProducerTemplate(), store, files, jobs, holders), locks, holders);
        TusHead head = patch.head();
        router.routeWithRegex("/uploads(/.*)?").order(RESUMABLE_ORDER).handler(TusAnswers::everyResumable);
        for (String path : new String[] {"/uploads", "/uploads/"}) {
            router.route(HttpMethod.OPTIONS, path).order(ORDER).handler(this::options);
            router.route(HttpMethod.POST, path).order(ORDER).handler(this::create);
        }
        router.route(HttpMethod.OPTIONS, "/uploads/:id").order(ORDER).handler(this::options);
        router.route(HttpMethod.HEAD, "/uploads/:id").order(ORDER).handler(ctx -> withUpload(ctx, head::handle));
        router.route(HttpMethod.DELETE, "/uploads/:id").order(ORDER).handler(ctx -> withUpload(ctx, this::terminate));
        router.route(HttpMethod.PATCH, "/uploads/:id").order(ORDER).handler(patch::handle);
        router.route(HttpMethod.POST, "/uploads/:id").order(ORDER).handler(ctx -> overridden(ctx, patch));
    }

    /** A POST that stands for a PATCH or a DELETE, from clients that cannot send those (Java's HttpURLConnection). */
    private void overridden(RoutingContext ctx, TusPatch patch) {
        String method = ctx.request().getHeader("X-HTTP-Method-Override");
        if ("PATCH".equals(method)) {
            patch.handle(ctx);
        } else if ("DELETE".equals(method)) {
            withUpload(ctx, this::terminate);
        } else { // a POST to an upload of its own: the methods an upload takes, which POST stands for only
            ctx.response().putHeader("Allow", "DELETE, HEAD, OPTIONS, PATCH");
            TusAnswers.problem(ctx, 405, "A POST to an upload stands for a PATCH or a DELETE: send "
                                         + "X-HTTP-Method-Override: PATCH (or DELETE).");
        }
    }

    /** What this server speaks; the one answer without {@code Tus-Resumable}. */
    private void options(RoutingContext ctx) {
        ctx.response().setStatusCode(204).putHeader("Tus-Version", TusAnswers.VERSION)
                .putHeader("Tus-Extension", EXTENSIONS).putHeader("Tus-Max-Size", Long.toString(settings.maxSize()))
                .end();
    }

    private void create(RoutingContext ctx) {
        if (!TusAnswers.speaksVersion(ctx)) {
            return;
        }
        long length = lengthOf(ctx);
        if (length < 0) {
            return;
        }
        String id = JobIds.next();
        Instant now = clock.instant();
        blocking(ctx, () -> {
            Map<String, String> metadata = TusMetadata.parse(ctx.request().getHeader(TusAnswers.METADATA));
            jobs.check(metadata);
            disk.requireRoomFor(length);
            Caller caller = caller(ctx);
            Duration kept = settings.expiry().compareTo(settings.maxAge()) < 0 ? settings.expiry() : settings.maxAge();
            TusUpload upload = new TusUpload(id, length, 0, metadata, caller.tenant(), caller.keyId(), now,
                    now.plus(kept), null);
            if (!store.create(upload, settings.maxOpenPerKey(), now)) {
                throw new TusError(429, "This key has as many unfinished uploads as it may (" + settings.maxOpenPerKey()
                        + ", TRANSCODER_MAX_OPEN_UPLOADS_PER_KEY): finish one, end one with DELETE, or wait until one"
                        + " expires.");
            }
            files.create(id);
            return upload;
        }, upload -> TusAnswers.start(ctx, 201).putHeader("Location", location(ctx.request().path(), id))
                .putHeader(TusAnswers.EXPIRES, TusAnswers.date(upload.expiresAt())).end());
    }

    /** The upload's Upload-Length: a 400 or 413 has been answered when it is -1. */
    private long lengthOf(RoutingContext ctx) {
        String text = ctx.request().getHeader(TusAnswers.LENGTH);
        long length = TusAnswers.number(text);
        if (text == null && ctx.request().getHeader("Upload-Defer-Length") != null) {
            TusAnswers.problem(ctx, 400, "Upload-Defer-Length is not supported: send Upload-Length, the file's size.");
        } else if (length < 0) {
            TusAnswers.problem(ctx, 400, "Upload-Length must be the file's size in bytes, a whole number.");
        } else if (length > settings.maxSize()) {
            TusAnswers.problem(ctx, 413, "The upload is larger than this server accepts (Tus-Max-Size "
                                         + settings.maxSize() + " bytes).");
            return -1;
        }
        return length;
    }

    /**
     * The new upload's URL, relative to the one the client created it at ({@code uploads/<id>} after
     * {@code /uploads}, {@code <id>} after {@code /uploads/}), so that it holds behind a proxy's path prefix.
     */
    static String location(String creationPath, String id) {
        return creationPath.endsWith("/") ? id : "uploads/" + id;
    }

    /**
     * Its record first, then its bytes (a file without a record is housekeeping's to remove), under the upload's write
     * lock: the request that holds it may be making the upload a job, whose record it would otherwise make again
     * (without an expiry) after the DELETE. Until it is done the answer is 423, as a PATCH's. An upload made a job is
     * dropped as any other, and its answer names the job, which goes on: the client's to cancel (DELETE /jobs/{id}).
     */
    private void terminate(RoutingContext ctx, TusUpload upload) {
        String token = UUID.randomUUID().toString();
        blocking(ctx, () -> {
            if (!locks.take(upload.id(), token)) {
                throw TusLocks.held(upload.id());
            }
            try {
                // As it stands now, expired or terminated since it was read, or made a job meanwhile (marked, or not
                // yet: the process died, or Redis was away, between the job and its mark; the job has the upload's id).
                TusUpload now = store.find(upload.id()).orElseThrow(() -> unknown(upload.id()));
                String job = now.job() != null ? now.job() : jobs.madeAlready(now).orElse(null);
                store.delete(upload.id());
                files.delete(upload.id());
                return job;
            } finally {
                store.unlock(upload.id(), token);
            }
        }, job -> {
            HttpServerResponse response = TusAnswers.start(ctx, 204);
            TusAnswers.withJob(ctx, response, job);
            response.end();
        });
    }

    /** Finds the upload the path names (a 404 when there is none, or another tenant's), then hands it on. */
    private void withUpload(RoutingContext ctx, java.util.function.BiConsumer<RoutingContext, TusUpload> then) {
        if (!TusAnswers.speaksVersion(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        blocking(ctx, () -> TusPatch.find(store, id, caller(ctx)), upload -> then.accept(ctx, upload));
    }

    /** Runs {@code work} off the event loop, then {@code then} on it; a failure is answered as a problem. */
    static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        ctx.vertx().executeBlocking(work, false).onComplete(done -> {
            if (done.succeeded()) {
                then.accept(done.result());
            } else {
                TusAnswers.failure(ctx, done.cause());
            }
        });
    }

    /** Who calls, as the access check found them (every request to the API passes it). */
    static Caller caller(RoutingContext ctx) {
        if (ctx.user() == null) {
            throw new IllegalStateException("A request reached " + ctx.request().path() + " without an access check");
        }
        return Callers.caller(ctx.user());
    }

    static Refusal unknown(String id) {
        return Refusal.notFound("There is no upload " + id + ": it never existed, expired or was terminated.");
    }
}
