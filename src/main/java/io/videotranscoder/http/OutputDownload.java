package io.videotranscoder.http;

import java.nio.file.Path;
import java.util.List;
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
    /** The headers {@link #send} sets, taken back should the file vanish before it is sent. */
    private static final List<CharSequence> FILE_HEADERS = List.of(HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.ETAG,
            HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_RANGE);

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
            // From /jobs/{id}/output a player would look for the renditions at /jobs/{id}/stream_0.m3u8.
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
        if (answeredElsewhere(file, http.getResponse())) {
            return;
        }
        FileAnswer answer;
        try {
            answer = decide(request, file);
        } catch (Refusal outside) {
            Problem problem = Problem.of(outside, request.uri());
            Replies.reply(exchange.getMessage(), problem.status(), Problem.CONTENT_TYPE, problem.json());
            exchange.getMessage().setHeader("Content-Range", ByteRange.unsatisfied(file.size()));
            exchange.getMessage().setHeader("Accept-Ranges", "bytes");
            return;
        }
        HttpServerResponse response = http.getResponse();
        if (!heads(request, response, file, answer)) {
            return;
        }
        // A GET of an output in an object store never reaches this route: ProxiedDownloads answers it.
        Path local = storage.file(file.key()).orElseThrow();
        response.sendFile(local.toString(), answer.offset(), answer.length(file.size()))
                .onFailure(e -> LOG.debug("{} ended before all of it was sent: {}", request.path(), e.getMessage()));
        if (!response.ended()) {
            // Vert.x could not open the file (deleted since it was found) and wrote nothing: a 410 through the route.
            takeBack(response);
            throw gone(exchange.getIn().getHeader("id", String.class));
        }
    }

    /**
     * Answers a 302 when the file is answered elsewhere: an HLS job's main output at its own URL, or an output in the
     * object store by the store itself (with redirected downloads). @return whether it is
     */
    boolean answeredElsewhere(StoredFile file, HttpServerResponse response) {
        if (file.location() != null) {
            response.setStatusCode(302).putHeader(HttpHeaderNames.LOCATION, file.location()).end();
            return true;
        }
        if (relay != null && relay.redirects(file)) {
            relay.redirect(file, response);
            return true;
        }
        return false;
    }

    /** What the request's conditions and range ask of the file. @throws Refusal 416, for a range outside it */
    static FileAnswer decide(HttpServerRequest request, StoredFile file) {
        return FileAnswer.decide(file.size(), file.validators(), new FileAnswer.Conditions(
                header(request, HttpHeaderNames.IF_NONE_MATCH), header(request, HttpHeaderNames.IF_MODIFIED_SINCE),
                header(request, HttpHeaderNames.IF_RANGE), header(request, HttpHeaderNames.RANGE)));
    }

    /**
     * Sets the answer's status and headers, and ends a 304 or a HEAD's answer.
     *
     * @return whether the file's bytes are to be sent
     */
    static boolean heads(HttpServerRequest request, HttpServerResponse response, StoredFile file, FileAnswer answer) {
        // A tenant's output, asked for with a key a shared cache does not know of (X-API-Key, unlike Authorization):
        // kept by the client alone, and checked again (ETag) before each use, so a deleted job's file is gone.
        response.setStatusCode(answer.status()).putHeader(HttpHeaderNames.CACHE_CONTROL, "private, no-cache")
                .putHeader(HttpHeaderNames.ETAG, file.validators().etag())
                .putHeader(HttpHeaderNames.LAST_MODIFIED, file.validators().lastModifiedHeader())
                .putHeader(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        if (answer.status() == 304) {
            response.end();
            return false;
        }
        response.putHeader(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                .putHeader(HttpHeaderNames.CONTENT_DISPOSITION, file.disposition())
                .putHeader(HttpHeaderNames.CONTENT_LENGTH, Long.toString(answer.length(file.size())));
        if (answer.range() != null) {
            response.putHeader(HttpHeaderNames.CONTENT_RANGE, answer.range().contentRange(file.size()));
        }
        if (request.method() == HttpMethod.HEAD) {
            response.end();
            return false;
        }
        return true;
    }

    /** The headers of a 416, which say how large the file is, on the Vert.x response. */
    static void unsatisfied(HttpServerResponse response, StoredFile file) {
        response.putHeader(HttpHeaderNames.CONTENT_RANGE, ByteRange.unsatisfied(file.size()))
                .putHeader(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    }

    /** Takes back the headers {@link #heads} set, for a problem answered instead. */
    static void takeBack(HttpServerResponse response) {
        FILE_HEADERS.forEach(response.headers()::remove);
    }

    /** A request header, several of the same name joined as one list; null when absent. */
    private static String header(HttpServerRequest request, CharSequence name) {
        List<String> values = request.headers().getAll(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
