package io.videotranscoder.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event streams open in this process, ended as soon as the service begins to stop (SIGTERM, Camel's shutdown),
 * before the HTTP server closes its connections: each ends after a whole frame with the answer's last chunk, so that
 * an EventSource reconnects after its retry delay, with its Last-Event-ID, to another instance, rather than being cut
 * off mid-answer when the server closes, or holding the shutdown open. New streams are then refused (503).
 */
final class OpenStreams extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStreams.class);
    /** How long the shutdown waits for the streams' last chunks to be written; a client that reads none is cut. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final Set<EventResponse> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Whether the service is stopping: no stream opens any more. */
    boolean stopping() {
        return stopping;
    }

    void add(EventResponse stream) {
        streams.add(stream);
        if (stopping) {
            stream.close(); // opened as the shutdown began: ended like the others
        }
    }

    void remove(EventResponse stream) {
        streams.remove(stream);
    }

    @Override
    public void onContextStopping(CamelContext context) {
        stopping = true;
        List<Future<Void>> ends = streams.stream().map(EventResponse::close).toList();
        if (ends.isEmpty()) {
            return;
        }
        LOG.info("Ending {} open event streams: their clients reconnect elsewhere", ends.size());
        try {
            Future.join(ends).toCompletionStage().toCompletableFuture().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("Not every event stream's end was written ({}): the server closes what is left", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
