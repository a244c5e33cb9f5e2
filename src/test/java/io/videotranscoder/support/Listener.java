package io.videotranscoder.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP port on this machine that counts the connections made to it: what must not be reached, and whether it was. */
public final class Listener implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    public Listener() throws IOException {
        socket = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (var ignored = socket.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "listener-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
