package io.videotranscoder.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * A receiver's answer body, of which at most {@link #LIMIT} bytes are read: the service uses none of it, and closing a
 * body reads it to its end (to use the connection again), however long it is. Closed, a body that ended within the
 * limit leaves its connection to the pool; any other is given up with its connection (the request is cancelled).
 */
final class CappedBody extends HttpEntityWrapper {

    static final int LIMIT = 4096;

    private final Cancellable request;
    private final Runnable closed;
    private InputStream content;

    /** @param closed run once the body is closed, whatever came of it */
    CappedBody(HttpEntity body, Cancellable request, Runnable closed) {
        super(body);
        this.request = request;
        this.closed = closed;
    }

    @Override
    public synchronized InputStream getContent() throws IOException {
        if (content == null) {
            InputStream body = super.getContent();
            BoundedInputStream capped = BoundedInputStream.builder().setInputStream(body).setMaxCount(LIMIT)
                    .setPropagateClose(false).get();
            content = new FilterInputStream(capped) {
                private boolean done;

                @Override
                public void close() throws IOException {
                    if (done) {
                        return;
                    }
                    done = true;
                    try {
                        IOUtils.consume(capped); // up to the limit, so that a short body's connection is used again
                        if (capped.getCount() < LIMIT) {
                            body.close(); // it ended within the limit
                        } else {
                            request.cancel();
                        }
                    } catch (IOException e) {
                        request.cancel();
                        throw e;
                    } finally {
                        closed.run();
                    }
                }
            };
        }
        return content;
    }

    @Override
    public void close() throws IOException {
        getContent().close();
    }
}
