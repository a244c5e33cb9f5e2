package io.videotranscoder.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.core5.http.MessageConstraintException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhooks' HTTP client against a real socket whose answer's head never ends: one header line for ever, or header
 * fields for ever. It gives up at the head's limits, long before its timeout and a few KiB in, never holding what
 * the receiver sends until then.
 */
class WebhookClientTest {

    /** What the receiver sends at most: far more than the limits, far less than the timeout lets it send. */
    private static final long MOST = 64L << 20;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        CheckedDnsResolver dns = new CheckedDnsResolver(host -> new InetAddress[] {InetAddress.getLoopbackAddress()},
                AddressPolicy.allowing("endless.test"));
        camel.addComponent("webhook-http", WebhookClient.component(dns, Duration.ofSeconds(60), Duration.ofSeconds(5),
                timer));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        timer.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "X-Field: 1\r\n"})
    void an_answer_whose_head_never_ends_is_given_up_at_its_limits(String repeated) throws Exception {
        AtomicLong sent = new AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> answerEndlessly(server, repeated, sent), "endless-receiver");
            receiver.setDaemon(true);
            receiver.start();

            Exchange answered = camel.createProducerTemplate().request("webhook-http://receiver", exchange -> {
                exchange.getIn().setHeader(Exchange.HTTP_URI, "http://endless.test:" + server.getLocalPort() + "/hook");
                exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
                exchange.getIn().setBody("{}");
            });

            assertInstanceOf(MessageConstraintException.class, answered.getException(), "refused at a limit");
            receiver.join(30_000);
            assertTrue(sent.get() < MOST, "hung up on early: " + sent.get() + " bytes sent");
        }
    }

    /**
     * An answer said to be compressed, whose compressed stream ends at once but whose body goes on: the service reads
     * a few KiB of what is sent, never the rest (decompressed, the body looked ended, and closing it read the rest).
     */
    @Test
    void a_compressed_answer_that_goes_on_past_its_end_is_read_no_further() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> answerCompressedThenEndlessly(server, sent), "gzip-receiver");
            receiver.setDaemon(true);
            receiver.start();

            camel.createProducerTemplate().request("webhook-http://receiver", exchange -> {
                exchange.getIn().setHeader(Exchange.HTTP_URI, "http://endless.test:" + server.getLocalPort() + "/hook");
                exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
                exchange.getIn().setBody("{}");
            });

            receiver.join(30_000);
            assertTrue(sent.get() < MOST, "hung up on early: " + sent.get() + " bytes sent");
        }
    }

    private static void answerCompressedThenEndlessly(ServerSocket server, AtomicLong sent) {
        try (Socket client = server.accept(); InputStream in = client.getInputStream();
             OutputStream out = client.getOutputStream()) {
            in.read(new byte[8192]);
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write("{}".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                       + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(zipped.size()) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(zipped.toByteArray());
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (sent.get() < MOST) {
                out.write(head);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent.addAndGet(chunk.length);
            }
        } catch (IOException hungUp) {
            // the client gave up
        }
    }

    /** Answers the first request with a status line, then {@code repeated} until {@link #MOST} or a hang-up. */
    private static void answerEndlessly(ServerSocket server, String repeated, AtomicLong sent) {
        try (Socket client = server.accept(); InputStream in = client.getInputStream();
             OutputStream out = client.getOutputStream()) {
            in.read(new byte[8192]);
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] unit = repeated.getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = new byte[64 * 1024 / unit.length * unit.length];
            for (int i = 0; i < chunk.length; i += unit.length) {
                System.arraycopy(unit, 0, chunk, i, unit.length);
            }
            while (sent.get() < MOST) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        } catch (IOException hungUp) {
            // the client gave up
        }
    }
}
