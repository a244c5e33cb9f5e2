package io.videotranscoder.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.SmallDisk;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's data root on a real disk of a few MiB, which fills while an upload to it is written. */
class FullDiskIT {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(2);

    @TempDir
    Path root;

    /**
     * Room was held for the upload, then something else filled the disk while its body came: Vert.x never failed the
     * request, and its client was told after the cut body's deadline that its body was incomplete (400). It is told
     * within a second of its body's end that the disk did not take it (507).
     */
    @Test
    void an_upload_whose_disk_fills_while_it_is_written_is_a_507_and_leaves_nothing() throws Exception {
        Path data = root.resolve("data");
        try (SmallDisk disk = SmallDisk.mount(data, 8192);
             TestApp app = TestApp.start(data, Map.of("transcoder.redis-url", REDIS.url(),
                     "transcoder.min-free-bytes", "1048576", "transcoder.cut-body-deadline", "120s"))) {
            String boundary = "XX";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\""
                           + "\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] half = new byte[1536 * 1024];
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            CountDownLatch filled = new CountDownLatch(1);
            InputStream secondHalf = new InputStream() { // waits for the disk to be filled, then brings the rest
                private InputStream rest;

                @Override
                public int read() throws java.io.IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (rest == null) {
                        try {
                            filled.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        rest = new SequenceInputStream(new ByteArrayInputStream(half), new ByteArrayInputStream(tail));
                    }
                    return rest.read(b, off, len);
                }
            };
            InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head),
                    new ByteArrayInputStream(half)), secondHalf);
            long length = head.length + 2L * half.length + tail.length;
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.http().base() + "/jobs"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> body), length)).build();

            CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(request,
                    HttpResponse.BodyHandlers.ofString());
            Path uploads = data.resolve(".uploads");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(uploads)
                    && sizeOf(uploads) >= half.length / 2);
            disk.fill();
            filled.countDown();

            // Told at once, not at the cut body's deadline (two minutes here): the disk had no room for the rest.
            HttpResponse<String> refused = answer.get(30, TimeUnit.SECONDS);
            assertEquals(507, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("disk did not take the upload"), refused.body());
            await().atMost(Duration.ofSeconds(5)).until(() -> sizeOf(uploads) == 0);
        }
    }

    private static long sizeOf(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
