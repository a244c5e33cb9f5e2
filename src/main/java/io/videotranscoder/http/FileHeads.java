package io.videotranscoder.http;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The head of the answer to a request for a stored file, on the Vert.x response, whether its bytes come from the
 * disk ({@link OutputDownload}) or the object store ({@link ProxiedDownloads}, {@link ObjectRelay}): what the
 * request's conditions and range ask of it, and the status and headers that say so.
 */
final class FileHeads {

    /** The headers {@link #heads} sets, taken back should the file vanish before it is sent. */
    private static final List<CharSequence> FILE_HEADERS = List.of(HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.ETAG,
            HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_RANGE);

    private FileHeads() {
    }

    /** What the request's conditions and range ask of the file. @throws Refusal 416, for a range outside it */
    static FileAnswer decide(HttpServerRequest request, OutputDownload.StoredFile file) {
        return FileAnswer.decide(file.size(), file.validators(), new FileAnswer.Conditions(
                header(request, HttpHeaderNames.IF_NONE_MATCH), header(request, HttpHeaderNames.IF_MODIFIED_SINCE),
                header(request, HttpHeaderNames.IF_RANGE), header(request, HttpHeaderNames.RANGE)));
    }

    /** Whether the client's copy of the file is current (a 304), by its conditions as {@link #decide} reads them. */
    static boolean current(HttpServerRequest request, OutputDownload.StoredFile file) {
        return file.validators().notModified(header(request, HttpHeaderNames.IF_NONE_MATCH),
                header(request, HttpHeaderNames.IF_MODIFIED_SINCE));
    }

    /**
     * Sets the answer's status and headers, and ends a 304 or a HEAD's answer.
     *
     * @return whether the file's bytes are to be sent
     */
    static boolean heads(HttpServerRequest request, HttpServerResponse response, OutputDownload.StoredFile file,
            FileAnswer answer) {
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
    static void unsatisfied(HttpServerResponse response, OutputDownload.StoredFile file) {
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
