package io.videotranscoder.http;

import java.util.concurrent.CompletionException;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outputs kept in an object store reach the client through the API ({@code proxy}: the bytes asked for, one range at
 * most, piped from a presigned GET with Vert.x's back-pressure, never held in memory) or by a redirect to a presigned
 * URL ({@code redirect}: the store serves the bytes, ranges included). HLS playlists are always proxied: a player
 * resolves their segments' relative URIs against the playlist's URL, which must then be the API's, not the store's.
 */
public class ObjectRelay {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectRelay.class);

    private final Storage storage;
    private final Vertx vertx;
    private final HttpClient client;
    private final boolean redirect;

    /** @param mode {@code proxy} or {@code redirect} (transcoder.s3-download) */
    public ObjectRelay(Storage storage, Vertx vertx, String mode) {
        this.storage = storage;
        this.vertx = vertx;
        this.redirect = switch (mode) {
            case "proxy" -> false;
            case "redirect" -> true;
            default -> throw new StartRefusal("TRANSCODER_S3_DOWNLOAD must be proxy or redirect, not "
                                                          + mode);
        };
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true));
    }

    /** Whether the file is answered with a redirect to the store. */
    boolean redirects(OutputDownload.StoredFile file) {
        return redirect && !file.key().endsWith(".m3u8");
    }

    /** 302 to a presigned URL that answers with the file's type and name; never cached, since it expires. */
    void redirect(OutputDownload.StoredFile file, HttpServerResponse response) {
        response.setStatusCode(302)
                .putHeader(HttpHeaderNames.LOCATION,
                        storage.presign(file.key(), file.contentType(), file.disposition()).toString())
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-store").end();
    }

    /**
     * Sends the answer's bytes, its status and headers already set, and returns once they are sent. A store that
     * fails before the first byte is a 503 through the route; one that fails after it cuts the connection, which the
     * client sees as a short body (Content-Length said more).
     */
    void send(OutputDownload.StoredFile file, FileAnswer answer, HttpServerResponse response) {
        long length = answer.length(file.size());
        if (length == 0) {
            response.end();
            return;
        }
        long first = answer.offset();
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(storage.presign(file.key(), null, null).toString())
                .putHeader(HttpHeaderNames.RANGE, "bytes=" + first + "-" + (first + length - 1));
        Promise<Void> sent = Promise.promise();
        // On an event loop, so that each step's callback runs as soon as its future completes: composed from this
        // (blocking) thread they would run a task later, and the store's first bytes would find no pipe yet.
        Context context = Vertx.currentContext();
        (context != null ? context : vertx.getOrCreateContext()).runOnContext(v ->
                client.request(get).compose(HttpClientRequest::send).compose(upstream -> {
                    if (upstream.statusCode() / 100 != 2) {
                        upstream.end();
                        return Future.failedFuture("the store answered " + upstream.statusCode());
                    }
                    return upstream.pipeTo(response);
                }).onComplete(sent));
        try {
            sent.future().toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!response.headWritten()) {
                LOG.warn("Could not read {} from storage", file.key(), cause);
                throw new Refusal(Refusal.Kind.UNAVAILABLE, "The output could not be read from storage; try again.",
                        null);
            }
            LOG.debug("{} cut short: {}", file.key(), cause.toString());
            response.reset();
        }
    }
}
