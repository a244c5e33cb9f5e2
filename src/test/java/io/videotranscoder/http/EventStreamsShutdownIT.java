package io.videotranscoder.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.videotranscoder.support.SseClient;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that stops (SIGTERM: Camel's shutdown) with event streams open ends each of them as a stream ends, on a
 * whole frame with the HTTP answer's last chunk, so that an EventSource reconnects at once, with its Last-Event-ID, to
 * another instance; and the streams do not hold the shutdown until its timeout.
 */
class EventStreamsShutdownIT {

    @TempDir
    Path root;

    @Test
    void stopping_the_service_ends_its_open_streams_cleanly_and_promptly() throws Exception {
        // Protected mode: a client on loopback needs no key. The shutdown may wait for 30 s (as in production).
        TestApp app = TestApp.start(root.resolve("data"), Map.of("transcoder.event-keepalive", "1s"));
        String base = app.http().base();
        try (SseClient all = SseClient.open(base + "/events");
             SseClient again = SseClient.open(base + "/events")) {
            assertEquals(200, all.status(), all.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> all.lastEventId() != null
                                                               && again.lastEventId() != null);

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::close);

            await().atMost(Duration.ofSeconds(20)).until(() -> all.ended() && again.ended()
                                                               || all.cut() != null || again.cut() != null);
            assertNull(all.cut(), "cut off rather than ended");
            assertNull(again.cut(), "cut off rather than ended");
            await().atMost(Duration.ofSeconds(20)).until(stopped::isDone);
            assertTrue(all.lastEventId() != null, "where a reconnecting client resumes");
        }
    }
}
