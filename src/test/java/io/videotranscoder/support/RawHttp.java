package io.videotranscoder.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A request written byte for byte on a socket, for what Java's HTTP client will not send: a path as written
 * ({@code /docs/../admin/keys}, which it may not keep), a {@code Host} of the test's choosing.
 */
public final class RawHttp {

    /** A status and the whole answer, head and body. */
    public record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line that ends them) then {@code body}. */
    public static Answer send(int port, String head, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(port, head + "\r\nContent-Length: " + bytes.length, bytes);
    }

    /** Sends {@code head} alone, with neither Content-Length nor Transfer-Encoding: a request without a body. */
    public static Answer sendHead(int port, String head) throws IOException {
        return exchange(port, head, new byte[0]);
    }

    private static Answer exchange(int port, String head, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = head + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(text.split(" ", 3)[1]), text);
        }
    }
}
