package io.videotranscoder.webhook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CappedBodyTest {

    private final AtomicInteger cancelled = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final Cancellable request = () -> cancelled.incrementAndGet() > 0;

    private CappedBody body(InputStream content) {
        return new CappedBody(new InputStreamEntity(content, ContentType.TEXT_PLAIN), request, closed::incrementAndGet);
    }

    /** A body that never ends, as fast as it is read. */
    private static final class Endless extends InputStream {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public int read() {
            return 'x';
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void an_endless_body_reads_as_its_first_few_kib_and_is_given_up_with_its_connection() throws IOException {
        Endless endless = new Endless();
        CappedBody body = body(endless);

        assertEquals(CappedBody.LIMIT, body.getContent().readAllBytes().length);
        EntityUtils.consume(body); // as camel-http and the client do with an answer's body

        assertEquals(1, cancelled.get(), "the request is cancelled: its connection closes unread");
        assertFalse(endless.closed.get(), "not closed: closing would read the rest");
        assertEquals(1, closed.get());
    }

    @Test
    void an_endless_body_closed_unread_is_given_up_after_the_limit() throws IOException {
        CappedBody body = body(new Endless());

        body.close();
        body.close();

        assertEquals(1, cancelled.get());
        assertEquals(1, closed.get(), "once, however often closed");
    }

    @Test
    void a_short_body_is_read_to_its_end_and_keeps_its_connection() throws IOException {
        AtomicBoolean ended = new AtomicBoolean();
        InputStream content = new ByteArrayInputStream("Thanks".getBytes()) {
            @Override
            public void close() {
                ended.set(true);
            }
        };

        EntityUtils.consume(body(content));

        assertTrue(ended.get(), "closed at its end, which leaves the connection to be used again");
        assertEquals(0, cancelled.get());
        assertEquals(1, closed.get());
    }

    @Test
    void a_body_that_fails_while_read_is_given_up_with_its_connection() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Socket closed");
            }
        };

        assertThrows(IOException.class, () -> body(broken).close());
        assertEquals(1, cancelled.get());
        assertEquals(1, closed.get());
    }
}
