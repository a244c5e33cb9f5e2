package io.videotranscoder.http;

import io.videotranscoder.access.JobOwners;
import io.videotranscoder.job.JobStore;
import io.videotranscoder.job.Tenancy;
import io.videotranscoder.refusal.Refusal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * {@code GET} of an output kept in an object store and proxied: the bytes are piped from the store on the event loop,
 * so a download holds no thread however slowly its client reads. A route runs on one of Vert.x's 20 worker threads
 * until it returns, and platform-http ends the answer then: twenty video players paced at playback speed held every
 * one of them, and every other request (a key's check among them) waited. Its refusals (not found, not succeeded,
 * 416), redirects and 304s are answered here too, from the one look-up; a HEAD goes
 * on to the download route.
 */
public class ProxiedDownloads implements StartupListener {

    private final JobStore store;
    private final OutputDownload downloads;
    private final ObjectRelay relay;
    private final int port;

    /** @param port the API's port; with local storage (no relay), or in a process without the API, nothing is installed */
    public ProxiedDownloads(JobStore store, OutputDownload downloads, int port) {
        this.store = store;
        this.downloads = downloads;
        this.relay = downloads == null ? null : downloads.relay();
        this.port = port;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        Router router = RouterErrors.apiRouter(context, port);
        if (router != null && relay != null) {
            // After the body guards and the access check, before the routes.
            router.get("/jobs/:id/output").order(AccessGuard.ORDER + 2).handler(ctx -> serve(ctx, null));
            router.get("/jobs/:id/outputs/:name").order(AccessGuard.ORDER + 2)
                    .handler(ctx -> serve(ctx, ctx.pathParam("name")));
        }
    }

    private void serve(RoutingContext ctx, String name) {
        if (ctx.user() == null) {
            ctx.next(); // the route refuses a request that passed no access check
            return;
        }
        Tenancy tenancy = JobOwners.tenancy(Callers.caller(ctx.user()));
        String id = ctx.pathParam("id");
        ctx.request().pause(); // a body (even Content-Length: 0) must wait for the route's body handler
        ctx.vertx().executeBlocking(() -> downloads.find(store.existing(id, tenancy), name), false)
                .onComplete(found -> {
                    ctx.request().resume();
                    if (found.failed() && !(found.cause() instanceof Refusal)) {
                        RouterErrors.failed(ctx, found.cause()); // the job store could not be read: a 503
                    } else if (found.failed()) {
                        RouterErrors.refused(ctx, (Refusal) found.cause()); // not found, or not succeeded
                    } else if (!downloads.answeredElsewhere(found.result(), ctx.request(), ctx.response())) {
                        send(ctx, found.result());
                    }
                });
    }

    private void send(RoutingContext ctx, OutputDownload.StoredFile file) {
        FileAnswer answer;
        try {
            answer = FileHeads.decide(ctx.request(), file);
        } catch (Refusal outside) {
            FileHeads.unsatisfied(ctx.response(), file);
            RouterErrors.refused(ctx, outside);
            return;
        }
        relay.send(ctx, file, answer);
    }
}
