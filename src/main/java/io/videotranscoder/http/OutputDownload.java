package io.videotranscoder.http;

import java.nio.file.Path;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A succeeded job's outputs, as players, CDNs and download managers expect them: {@code Content-Length} on every
 * answer, byte ranges, {@code ETag} and {@code Last-Modified} with conditional requests, HEAD, and a file name. First
 * {@link #main}/{@link #named} find the file (404, 409, 410), then {@link #send} answers.
 */
public class OutputDownload {

    /** The exchange property holding the file found for the request. */
    static final String FILE = "transcoder.download";
    private static final Logger LOG = LoggerFactory.getLogger(OutputDownload.class);

    private final JobViews views;
    private final Storage storage;
    private final ObjectRelay relay;

    /** @param relay how outputs in an object store reach the client (proxied or redirected); null for local storage */
    public OutputDownload(JobViews views, Storage storage, ObjectRelay relay) {
        this.views = views;
        this.storage = storage;
        this.relay = relay;
    }

    /** How outputs in an object store reach the client; null for local storage. */
    /** The store's origin when outputs are redirected to it: the page loads them from there. */
    public Optional<String> redirectOrigin() {
        return relay == null ? Optional.empty() : relay.redirectOrigin();
    }

    ObjectRelay relay() {
        return relay;
    }

    /**
     * A stored output and what its answers say of it; or, with a {@code location}, where the output is answered: an HLS
     * job's main output is its master playlist, whose URIs are relative to the playlist's own URL.
     */
    record StoredFile(String key, long size, Validators validators, String contentType, String disposition,
                      String location) {

        static StoredFile at(String location) {
            return new StoredFile(null, 0, null, null, null, location);
        }
    }

    /** GET or HEAD /jobs/{id}/output: the preset's main output. */
    public void main(Exchange exchange) {
        exchange.setProperty(FILE, find(views.find(exchange.getIn()), null));
    }

    /** GET or HEAD /jobs/{id}/outputs/{name}: any output, named as the job lists it (never a path a client makes up). */
    public void named(Exchange exchange) {
        exchange.setProperty(FILE, find(views.find(exchange.getIn()), exchange.getIn().getHeader("name", String.class)));
    }

    /** The stored output of the job named so (null: the main output), once the job has succeeded. */
    StoredFile find(Job job, String name) {
        succeeded(job);
        if (name == null && job.mainOutput().endsWith(".m3u8")) {
            // From /jobs/{id}/output a player would look for the renditions at /jobs/{id}/stream_0.m3u8. Relative, so
            // that it holds behind a proxy that serves the API under a path of its own.
            return StoredFile.at("outputs/" + job.mainOutput());
        }
        if (name == null) {
            return stored(job, job.mainOutput());
        }
        if (job.outputs().stream().noneMatch(o -> o.name().equals(name))) {
            throw Refusal.notFound("Job " + job.id() + " has no output named '" + name + "'.");
        }
        return stored(job, name);
    }

    private static void succeeded(Job job) {
        if (job.status() != JobStatus.SUCCEEDED || job.outputs().isEmpty()) {
            throw Refusal.wrongState("Job " + job.id() + " is " + job.status().value() + "; it has no output yet.");
        }
    }

    private StoredFile stored(Job job, String name) {
        String key = job.outputs().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow().key(job.id());
        Storage.StoredObject object = storage.stat(key).orElseThrow(() -> gone(job.id()));
        return new StoredFile(key, object.size(), Validators.of(object.size(), object.lastModified()),
                ContentTypes.of(name), DownloadName.contentDisposition(job, name), null);
    }

    private static Refusal gone(String id) {
        return new Refusal(Refusal.Kind.GONE, "The output of job " + id + " is no longer stored.", null);
    }

    /**
     * Answers 304, 200 or 206 straight on the Vert.x response, the file sent by Vert.x ({@code sendFile}: from disk to
     * the socket, never through the heap, with its length), since platform-http sends any streamed body chunked and
     * without Content-Length; a 416 is problem JSON through the route, with the file's size in Content-Range. A GET of
     * an output in an object store is {@link ProxiedDownloads}'s.
     */
    public void send(Exchange exchange) {
        StoredFile file = exchange.getProperty(FILE, StoredFile.class);
        HttpMessage http = exchange.getIn(HttpMessage.class);
        HttpServerRequest request = http.getRequest();
        if (answeredElsewhere(file, request, http.getResponse())) {
            return;
        }
        FileAnswer answer;
        try {
            answer = FileHeads.decide(request, file);
        } catch (Refusal outside) {
            Problem problem = Problem.of(outside, request.path()); // never the query, which may hold a token
            Replies.reply(exchange.getMessage(), problem.status(), Problem.CONTENT_TYPE, problem.json());
            exchange.getMessage().setHeader("Content-Range", ByteRange.unsatisfied(file.size()));
            exchange.getMessage().setHeader("Accept-Ranges", "bytes");
            return;
        }
        HttpServerResponse response = http.getResponse();
        if (!FileHeads.heads(request, response, file, answer)) {
            return;
        }
        // A GET of an output in an object store never reaches this route: ProxiedDownloads answers it.
        Path local = storage.file(file.key()).orElseThrow();
        response.sendFile(local.toString(), answer.offset(), answer.length(file.size()))
                .onFailure(e -> LOG.debug("{} ended before all of it was sent: {}", request.path(), e.getMessage()));
        if (!response.ended()) {
            // Vert.x could not open the file (deleted since it was found) and wrote nothing: a 410 through the route.
            FileHeads.takeBack(response);
            throw gone(exchange.getIn().getHeader("id", String.class));
        }
    }

    /**
     * {@code location}, relative to {@code path} without its trailing slashes (e.g. {@code /jobs/{id}/output}), as seen
     * from {@code path}: from {@code .../output/} (a trailing slash the router takes as the same path) the browser
     * resolves it one folder deeper. Also for a resumable upload's {@code Job-Location}.
     */
    public static String relativeTo(String path, String location) {
        int slashes = 0;
        while (slashes < path.length() && path.charAt(path.length() - 1 - slashes) == '/') {
            slashes++;
        }
        return "../".repeat(slashes) + location;
    }

    /**
     * Answers a 302 when the file is answered elsewhere: an HLS job's main output at its own URL, or an output in the
     * object store by the store itself (with redirected downloads): a GET whose copy is not current, since a presigned
     * URL answers that method alone, and a HEAD or a 304 needs only what the API knows. @return whether it is
     */
    boolean answeredElsewhere(StoredFile file, HttpServerRequest request, HttpServerResponse response) {
        if (file.location() != null) {
            response.setStatusCode(302).putHeader(HttpHeaderNames.LOCATION, relativeTo(request.path(), file.location()))
                    .end();
            return true;
        }
        if (relay != null && relay.redirects(file) && request.method() == HttpMethod.GET
            && !FileHeads.current(request, file)) {
            relay.redirect(file, response);
            return true;
        }
        return false;
    }
}
