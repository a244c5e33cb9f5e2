package io.videotranscoder.http;

import java.io.IOException;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.videotranscoder.storage.DiskSpace;
import io.vertx.core.http.HttpClosedException;
import org.apache.camel.util.ObjectHelper;

/** What a request's failure before any route says of it, read from what Vert.x and Netty fail it with. */
final class RequestFailures {

    private RequestFailures() {
    }

    /**
     * The client closed or reset its connection; but for the {@link IOException}s whose client waits for an answer: the
     * one Netty's decoder fails a body with for a form field over its size, and a disk that filled while an upload's
     * file was written ({@link #diskFull}: Vert.x fails the body with the file's own exception).
     */
    static boolean clientGone(Throwable failure) {
        return failure instanceof HttpClosedException
               || failure instanceof IOException && !fieldTooLarge(failure) && !diskFull(failure);
    }

    /** The disk (or a quota) had no room for what was written, as the failure or one of its causes says. */
    static boolean diskFull(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (DiskSpace.saysFull(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Netty's decoder refused a form field over its size: the client is there, waiting for an answer. */
    static boolean fieldTooLarge(Throwable failure) {
        return failure instanceof IOException && String.valueOf(failure.getMessage()).startsWith("Size exceed");
    }

    /** Whether the query string cannot be decoded, which Vert.x answers 400 as it would a body it cannot read. */
    static boolean malformedQuery(String uri) {
        try {
            new QueryStringDecoder(uri).parameters();
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Vert.x stops decoding a multipart body past HttpServerOptions' form-field limit, which counts file parts too. */
    static boolean tooManyParts(Throwable failure) {
        return ObjectHelper.getException(HttpPostRequestDecoder.TooManyFormFieldsException.class, failure) != null;
    }

    /** The failure of a part whose writing to disk was cancelled (HttpServerFileUpload's, or its pipe's). */
    static boolean partCancelled(Throwable failure) {
        return failure != null && ("Streaming aborted".equals(failure.getMessage())
                                   || "Pipe closed".equals(failure.getMessage()));
    }
}
