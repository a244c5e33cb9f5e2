package io.videotranscoder.http;

import java.net.URI;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.refusal.Refusal;
import io.videotranscoder.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
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
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int IDLE_TIMEOUT_SECONDS = 60;
    /**
     * Each proxied download holds a connection to the store until its range ends, as long as a player takes to play
     * it: past this many at once, a download waits for one to free, {@link #CONNECT_TIMEOUT_MILLIS} at most, with as
     * many others waiting at most, and is then refused (503, ask again), never left without an answer.
     */
    static final int CONNECTIONS = 256;

    private final Storage storage;
    private final Vertx vertx;
    private final HttpClient client;
    private final boolean redirect;
    private final int waitMillis;
    private final KeyedCounts perKey;

    /**
     * @param mode       {@code proxy} or {@code redirect} (transcoder.s3-download)
     * @param maxPerKey  the proxied downloads one API key may have under way at once, so that no key holds every
     *                   connection to the store (transcoder.max-downloads-per-key)
     */
    public ObjectRelay(Storage storage, Vertx vertx, String mode, int maxPerKey) {
        this(storage, vertx, mode, CONNECTIONS, CONNECT_TIMEOUT_MILLIS, maxPerKey);
    }

    /** @param connections the connections to the store at most, and the downloads that may wait for one */
    ObjectRelay(Storage storage, Vertx vertx, String mode, int connections, int waitMillis, int maxPerKey) {
        this.storage = storage;
        this.vertx = vertx;
        this.perKey = new KeyedCounts(maxPerKey);
        this.redirect = switch (mode) {
            case "proxy" -> false;
            case "redirect" -> true;
            default -> throw new StartRefusal("TRANSCODER_S3_DOWNLOAD must be proxy or redirect, not "
                                                          + mode);
        };
        // A store that stops answering, or a client that stops reading (the pipe then stops reading the store), lets
        // go of the connection after a minute.
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(waitMillis)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS), new PoolOptions().setHttp1MaxSize(connections)
                .setMaxWaitQueueSize(connections));
        this.waitMillis = waitMillis;
    }

    /** Whether the file is answered with a redirect to the store. */
    boolean redirects(OutputDownload.StoredFile file) {
        return redirect && !file.key().endsWith(".m3u8");
    }

    /**
     * Where redirected downloads go ({@code https://bucket.s3.eu-west-1.amazonaws.com}): the origin of a presigned URL,
     * which the page's policy lets it load media from. Presigning is the SDK's own reckoning, no request to the store.
     */
    Optional<String> redirectOrigin() {
        if (!redirect) {
            return Optional.empty();
        }
        URI probe = storage.presign("origin", "application/octet-stream", "inline");
        return Optional.of(probe.getScheme() + "://" + probe.getRawAuthority());
    }

    /** 302 to a presigned URL that answers with the file's type and name; never cached, since it expires. */
    void redirect(OutputDownload.StoredFile file, HttpServerResponse response) {
        response.setStatusCode(302)
                .putHeader(HttpHeaderNames.LOCATION,
                        storage.presign(file.key(), file.contentType(), file.disposition()).toString())
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-store").end();
    }

    /**
     * Answers the request with {@code answer} of the file, its bytes piped from the store; or, when the store fails
     * before the first bytes, with its problem (410 for an object removed since it was found, otherwise 503).
     */
    void send(RoutingContext ctx, OutputDownload.StoredFile file, FileAnswer answer) {
        if (FileHeads.heads(ctx.request(), ctx.response(), file, answer) && heldForKey(ctx)) {
            pipe(file, answer, ctx.response()).onFailure(cause -> {
                Refusal refusal = failed(file, ctx.response(), cause);
                if (refusal != null) {
                    FileHeads.takeBack(ctx.response());
                    RouterErrors.refused(ctx, refusal);
                }
            });
        }
    }

    /**
     * Whether the caller's key may have one more download under way, held until the answer ends however it ends: past
     * {@code transcoder.max-downloads-per-key}, a 429, so that one key (256 slow readers of a few bytes a minute)
     * cannot hold every connection to the store and leave every other tenant a 503.
     */
    private boolean heldForKey(RoutingContext ctx) {
        if (ctx.response().closed()) {
            return false; // the client left during the look-up: its end handlers have run, and would give nothing back
        }
        String keyId = ctx.user() == null ? null : Callers.caller(ctx.user()).keyId();
        if (!perKey.take(keyId)) {
            FileHeads.takeBack(ctx.response());
            ctx.response().putHeader("Retry-After", "5");
            RouterErrors.problem(ctx, 429, "This API key has " + perKey.max() + " downloads from the object store"
                                           + " under way on this server, as many as one key may"
                                           + " (TRANSCODER_MAX_DOWNLOADS_PER_KEY): wait for one to end.");
            return false;
        }
        ctx.addEndHandler(ended -> perKey.giveBack(keyId));
        return true;
    }

    /**
     * Pipes the answer's bytes from the store, its status and headers already set, on the caller's event loop (each
     * step's callback runs as soon as its future completes, so the store's first bytes always find the pipe): no thread
     * waits for the transfer, however slowly the client reads. The future fails when the store fails; the response's
     * head is then written only if it failed after its first bytes.
     */
    private Future<Void> pipe(OutputDownload.StoredFile file, FileAnswer answer, HttpServerResponse response) {
        long length = answer.length(file.size());
        if (length == 0) {
            return response.end();
        }
        long first = answer.offset();
        // The connect timeout of a request covers its wait for a connection of the pool too.
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setConnectTimeout(waitMillis)
                .setAbsoluteURI(storage.presign(file.key(), null, null).toString())
                .putHeader(HttpHeaderNames.RANGE, "bytes=" + first + "-" + (first + length - 1));
        return client.request(get).compose(HttpClientRequest::send).compose(upstream -> {
            if (upstream.statusCode() / 100 != 2) {
                upstream.end();
                return Future.failedFuture(upstream.statusCode() == 404
                        ? new Refusal(Refusal.Kind.GONE, "The output is no longer stored.", null)
                        : new IllegalStateException("the store answered " + upstream.statusCode()));
            }
            if (!sends(upstream.statusCode(), upstream.getHeader(HttpHeaderNames.CONTENT_RANGE),
                    upstream.getHeader(HttpHeaderNames.CONTENT_LENGTH), first, length, file.size())) {
                upstream.request().reset(); // its bytes are not the ones this answer's head announces
                return Future.failedFuture("the store did not answer with bytes " + first + "-" + (first + length - 1));
            }
            // A failure on either side ends neither answer as if whole: the client's is cut off (failed below), and the
            // store's connection dropped, which would otherwise be read to the end of its range for no one.
            return upstream.pipe().endOnFailure(false).to(response)
                    .onFailure(cut -> upstream.request().reset());
        });
    }

    /**
     * Whether the store's answer carries exactly the bytes asked for: a 206 of that range, or a 200 only when the whole
     * object was asked for (a store that ignores Range sends the whole object, whose first bytes are not the range's).
     */
    static boolean sends(int status, String contentRange, String contentLength, long first, long length, long size) {
        boolean range = switch (status) {
            case 206 -> contentRange != null
                    && contentRange.trim().startsWith("bytes " + first + "-" + (first + length - 1) + "/");
            case 200 -> first == 0 && length == size;
            default -> false;
        };
        return range && (contentLength == null || contentLength.trim().equals(Long.toString(length)));
    }

    /** @return the 503 or 410 to answer when nothing was sent yet; null once the connection was cut instead */
    private Refusal failed(OutputDownload.StoredFile file, HttpServerResponse response, Throwable cause) {
        if (response.headWritten()) {
            LOG.debug("{} cut short: {}", file.key(), cause.toString());
            response.reset();
            return null;
        }
        if (cause instanceof Refusal gone) {
            return gone; // removed since it was found
        }
        LOG.warn("Could not read {} from storage", file.key(), cause);
        return new Refusal(Refusal.Kind.UNAVAILABLE, "The output could not be read from storage; try again.", null);
    }
}
