package io.videotranscoder.http;

import java.util.Arrays;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance the API and management servers run on, bound in the registry so that platform-http uses it
 * instead of making its own. Its HTTP servers speak HTTP/1.1 only: Vert.x accepts an HTTP/2 cleartext upgrade
 * ({@code Upgrade: h2c}, which Java's HttpClient asks for by default) unless told otherwise, and over such a connection
 * an upload body is held in the heap instead of streaming to disk, so a 1 GiB upload ran a 256 MiB heap out of
 * memory. platform-http has no option for it, so the servers' options are adjusted here, where they are created.
 */
public final class Http1Vertx extends VertxWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(Http1Vertx.class);
    private static final String CANCEL_PART = "cancelStreamToFileSystem";

    /** Connections that carry nothing for this long are closed, so a silent client cannot hold one forever. */
    static final int IDLE_TIMEOUT_SECONDS = 120;

    private final int maxFormParts;
    private final HeadDeadlines deadlines;

    private Http1Vertx(VertxInternal delegate, int maxFormParts, HeadDeadlines deadlines) {
        super(delegate);
        this.maxFormParts = maxFormParts;
        this.deadlines = deadlines;
    }

    /**
     * Vert.x first looks for every file path it is given among the classpath's resources (the jar and the JDK's
     * modules), which cost 12% of the service's CPU time when taking small uploads: the service only names files on
     * disk, so that lookup is off.
     *
     * @param maxFormParts the most parts (files and fields) a multipart body may have: each file part is written to
     *                     disk as it arrives, before any route sees the request
     * @param deadlines    how long a connection may take to bring a request's head
     */
    public static Vertx create(int maxFormParts, HeadDeadlines deadlines) {
        VertxOptions options = new VertxOptions().setFileSystemOptions(new FileSystemOptions()
                .setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
        Http1Vertx vertx = new Http1Vertx((VertxInternal) Vertx.vertx(options), maxFormParts, deadlines);
        vertx.exceptionHandler(Http1Vertx::unhandled);
        return vertx;
    }

    /**
     * What a handler threw, logged as Vert.x would but for one fault of its own: a client that drops its connection
     * while a file part is being written has the part's file closed by the failing copy, then cancelled by the body
     * handler, which throws on the closed file. The part's file is deleted either way.
     */
    private static void unhandled(Throwable failure) {
        if (failure instanceof IllegalStateException && "File handle is closed".equals(failure.getMessage())
            && Arrays.stream(failure.getStackTrace()).anyMatch(at -> at.getMethodName().equals(CANCEL_PART))) {
            LOG.debug("A dropped upload's file part was cancelled after it was closed", failure);
        } else {
            LOG.error("Unhandled exception", failure);
        }
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        HttpServerOptions served = new HttpServerOptions(options)
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setMaxFormFields(maxFormParts);
        return super.createHttpServer(served).connectionHandler(connection -> deadlines.opened(this, connection))
                .invalidRequestHandler(request -> invalid(request, served));
    }

    /**
     * A request Netty could not read (a line or headers over their limits, a malformed head) is answered as Vert.x
     * answers it, in problem JSON rather than an empty body, and its connection closed.
     */
    private static void invalid(HttpServerRequest request, HttpServerOptions limits) {
        Throwable cause = request.decoderResult().cause();
        String why = cause == null ? "" : String.valueOf(cause.getMessage());
        Problem problem = why.startsWith("An HTTP line is larger than")
                ? new Problem(414, "URI too long", "The request line is longer than this server reads ("
                        + limits.getMaxInitialLineLength() + " bytes).", null, null)
                : why.startsWith("HTTP header is larger than")
                ? new Problem(431, "Request header fields too large", "The request's headers are larger than this "
                        + "server reads (" + limits.getMaxHeaderSize() + " bytes).", null, null)
                : new Problem(400, "Bad request", "The request could not be read as HTTP/1.1.", null, null);
        request.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(problem.json());
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }
}
