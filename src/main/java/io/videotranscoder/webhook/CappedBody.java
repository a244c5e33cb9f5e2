package io.videotranscoder.webhook;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

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
    private Capped content;

    /** @param closed run once the body is closed, whatever came of it */
    CappedBody(HttpEntity body, Cancellable request, Runnable closed) {
        super(body);
        this.request = request;
        this.closed = closed;
    }

    @Override
    public synchronized InputStream getContent() throws IOException {
        if (content == null) {
            content = new Capped(super.getContent());
        }
        return content;
    }

    @Override
    public void close() throws IOException {
        getContent().close();
    }

    private final class Capped extends FilterInputStream {

        private int left = LIMIT;
        private boolean ended;
        private boolean done;

        Capped(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || left == 0) {
                return -1;
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                ended = true;
            } else {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Through read, so that skipped bytes count against the limit too.
            return Math.max(0, read(new byte[(int) Math.min(Math.max(n, 0), 1024)]));
        }

        @Override
        public int available() throws IOException {
            return ended || left == 0 ? 0 : Math.min(in.available(), left);
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            try {
                byte[] rest = new byte[1024];
                while (read(rest, 0, rest.length) >= 0) {
                    // up to the limit, so that a short body's connection can be used again
                }
                if (ended) {
                    in.close();
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
    }
}
