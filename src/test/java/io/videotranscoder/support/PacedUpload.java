package io.videotranscoder.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multipart {@code POST} of a file part sent over a plain socket at the test's pace: the head, then the file's bytes
 * in as many pieces as the test likes, then the end; or dropped half way, as a client that goes away.
 */
public final class PacedUpload implements AutoCloseable {

    private static final String BOUNDARY = "----paced-upload";
    private static final byte[] END = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;

    /** Opens the request for a file of {@code size} bytes named {@code fileName}, and sends its head. */
    public PacedUpload(int port, String path, String fileName, long size) throws IOException {
        this(port, path, fileName, size, false, "");
    }

    /** As {@link #PacedUpload(int, String, String, long)}, with a header more (an API key). */
    public PacedUpload(int port, String path, String fileName, long size, String header, String value)
            throws IOException {
        this(port, path, fileName, size, false, header + ": " + value + "\r\n");
    }

    /**
     * As a client that asks {@code Expect: 100-continue} and sends its body only once the server said "100 Continue"
     * (curl, Java's HttpClient): the interim answer is read first, within 10 s.
     *
     * @throws java.net.SocketTimeoutException when the server said nothing
     */
    public static PacedUpload continued(int port, String path, String fileName, long size) throws IOException {
        return new PacedUpload(port, path, fileName, size, true, "");
    }

    private PacedUpload(int port, String path, String fileName, long size, boolean expect, String headers)
            throws IOException {
        byte[] partHead = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                           + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.socket = new Socket("127.0.0.1", port);
        this.out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary="
                   + BOUNDARY + "\r\nContent-Length: " + (partHead.length + size + END.length) + "\r\n"
                   + (expect ? "Expect: 100-continue\r\n" : "") + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        if (expect) {
            socket.setSoTimeout(10_000);
            byte[] interim = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] read = socket.getInputStream().readNBytes(interim.length);
            if (!Arrays.equals(interim, read)) {
                throw new IOException("Not a 100 Continue: " + new String(read, StandardCharsets.US_ASCII));
            }
        }
        out.write(partHead);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Ends the body and answers what the server sends back (its status line, headers and body). */
    public String finish() throws IOException {
        out.write(END);
        out.flush();
        socket.setSoTimeout(60_000);
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // it closes: Connection: close
    }

    /**
     * What the server answered before the body was over: its head, and its body by its Content-Length (the server
     * keeps the connection, the request unread).
     */
    public String answer() throws IOException {
        socket.setSoTimeout(60_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int headEnd = -1;
        while (headEnd < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            answer.write(b);
            headEnd = answer.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)")
                .matcher(answer.toString(StandardCharsets.ISO_8859_1));
        if (length.find()) {
            answer.write(in.readNBytes(Integer.parseInt(length.group(1))));
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** The next byte the server sends after its answer: -1 once it has closed the connection. */
    public int read() throws IOException {
        socket.setSoTimeout(60_000);
        return socket.getInputStream().read();
    }

    /** Resets the connection (a close with the answer unread), the body unfinished. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Drops the connection, the body unfinished. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
