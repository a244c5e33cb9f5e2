package io.videotranscoder.http;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;

/**
 * What a request body may cost the server: a body other than an upload (multipart where the API takes uploads, or a
 * resumable upload's bytes) is refused before it is read when it is large or of unknown length, and an upload's files
 * are removed once the request is answered.
 */
final class BodyGuards {

    static final long MAX_PLAIN_BODY_BYTES = 64 * 1024;
    /** An upload's own path, {@code /uploads/<id>}, which the resumable uploads' PATCH handler serves. */
    private static final Pattern UPLOAD = Pattern.compile("/uploads/[^/]+");
    private static final long LATE_UPLOAD_MILLIS = 1000;

    private BodyGuards() {
    }

    /**
     * Only multipart/form-data bodies stream to disk; any other body is held in the heap whole before a route sees it.
     * The API takes no other body larger than a few bytes, so a larger one is refused before it is read (and the
     * connection closed, so that it is not read either): a 1 GiB body sent as application/octet-stream would
     * otherwise exhaust the heap.
     */
    static void refuseLargePlainBodies(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String malformed = isMultipartForm(request) ? malformedMultipart(request.getHeader(HttpHeaders.CONTENT_TYPE))
                : null;
        if (malformed != null) {
            RouterErrors.refuseUnread(ctx, 400, "The multipart/form-data Content-Type cannot be read (" + malformed
                                                + "): it needs a boundary, and a charset, if any, this server knows.");
            return;
        }
        if (isUpload(request, ctx.normalizedPath()) || isResumableChunk(request, ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        long length = declaredLength(request);
        if (length < 0 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            RouterErrors.refuseUnread(ctx, 411, "A body of unknown length is taken only as a multipart/form-data "
                                                + "upload; send a Content-Length.");
        } else if (length > MAX_PLAIN_BODY_BYTES) {
            RouterErrors.refuseUnread(ctx, 413, "A body other than a multipart/form-data upload may be at most "
                                                + MAX_PLAIN_BODY_BYTES + " bytes; send files as the \"file\" part of a"
                                                + " multipart/form-data request.");
        } else {
            ctx.next();
        }
    }

    /**
     * Why a multipart Content-Type cannot be read as Netty's decoder reads it (no boundary, an unknown charset), which
     * throws from Vert.x's body handler, a 500; null for one it reads.
     */
    static String malformedMultipart(String contentType) {
        try {
            DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpMethod.POST, "/");
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            if (HttpPostRequestDecoder.isMultipart(request)) { // which reads the boundary, or throws
                CharSequence charset = HttpUtil.getCharsetAsSequence(contentType);
                if (charset != null) {
                    Charset.forName(charset.toString());
                }
            }
            return null;
        } catch (RuntimeException e) { // its own decoder error, an unknown charset, an empty boundary's index error
            return String.valueOf(e.getMessage());
        }
    }

    /**
     * Whatever the answer, a request's uploaded files are gone once it is given: a job's file has been moved into the
     * job's folder by then, and every other one is a refused request's. Vert.x's own clean-up is not enough: when a
     * body has too many parts it stops at the first part already written (its cancel throws) and never runs again,
     * and a part's file is created asynchronously, possibly after the answer; so the files are deleted at the end
     * and once more a second later.
     */
    static void removeUploadsAtEnd(RoutingContext ctx) {
        if (isMultipartForm(ctx.request())) {
            ctx.addEndHandler(done -> {
                List<String> files = ctx.fileUploads().stream().map(FileUpload::uploadedFileName).toList();
                deleteQuietly(ctx.vertx(), files);
                ctx.vertx().setTimer(LATE_UPLOAD_MILLIS, t -> deleteQuietly(ctx.vertx(), files));
            });
        }
        ctx.next();
    }

    /**
     * Whether the body is a resumable upload's bytes (tus), which its own handler streams to disk, or refuses unread
     * (a Content-Type other than tus's is a 415 there, not a 413 here): a PATCH of an upload, or a POST standing for
     * one ({@code X-HTTP-Method-Override}, for clients that cannot send PATCH).
     *
     * @param path the path routed ({@link RoutingContext#normalizedPath()})
     */
    static boolean isResumableChunk(HttpServerRequest request, String path) {
        boolean patch = request.method() == HttpMethod.PATCH
                        || request.method() == HttpMethod.POST
                           && "PATCH".equals(request.getHeader("X-HTTP-Method-Override"));
        return patch && UPLOAD.matcher(UnservedPaths.routed(path)).matches(); // what the upload's handler answers
    }

    /**
     * A multipart upload where the API takes one ({@code POST /jobs}, {@code POST /transcode}), whose room on disk
     * {@link StreamedUploads} holds or whose bytes it streams to the store. Multipart elsewhere is a body like any
     * other: platform-http would write its files to disk, up to the upload limit, for a route that takes none.
     */
    private static boolean isUpload(HttpServerRequest request, String path) {
        String routed = UnservedPaths.routed(path);
        return request.method() == HttpMethod.POST && ("/jobs".equals(routed) || "/transcode".equals(routed))
               && isMultipartForm(request);
    }

    /** Whether the body is multipart/form-data: the only kind that streams to disk. */
    static boolean isMultipartForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static void deleteQuietly(Vertx vertx, List<String> files) {
        for (String file : files) {
            vertx.fileSystem().delete(file); // a file already moved or deleted is no failure worth a word
        }
    }

    /** The body's length as its Content-Length says; -1 without one, or with one that is no length (Vert.x's 400). */
    static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return header != null && header.trim().matches("\\d{1,18}") ? Long.parseLong(header.trim()) : -1;
    }

    /** Whether a body follows the head: a Content-Length over 0, or a body of unknown length (chunked). */
    static boolean hasBody(HttpServerRequest request) {
        long length = declaredLength(request);
        return length > 0 || length < 0 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }
}
