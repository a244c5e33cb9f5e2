package io.videotranscoder.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port the service is about to listen on, checked before anything starts: Vert.x reports a port already taken
 * only in its log, and the service would run on without its API or its health checks (the same command started twice
 * did just that, its workers and inbox running headless beside the first service).
 */
public final class FreePort {

    private FreePort() {
    }

    /**
     * @param hostSetting what chooses the address
     * @param setting     the environment variable that chooses the port
     * @throws StartRefusal when something else listens there, or the address is not this machine's
     */
    public static void require(String host, String hostSetting, int port, String setting) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Vert.x binds: a port left in TIME_WAIT is free
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Cannot assign requested address")) {
                throw new StartRefusal("Cannot listen on " + host + ":" + port + ": " + host + " is not an address of"
                                       + " this machine; set " + hostSetting + " to one of its addresses, or 0.0.0.0"
                                       + " for all.");
            }
            throw refusal(host, port, " (" + e.getMessage() + "): another program, or this service started twice, "
                    + "holds it", setting);
        }
    }

    /**
     * The refusal of a start whose server could not listen on a port that was free when {@link #require} looked:
     * another program took it in between.
     */
    public static StartRefusal takenSince(String host, int port, String setting) {
        return refusal(host, port, ": another program took it as this service started", setting);
    }

    private static StartRefusal refusal(String host, int port, String why, String setting) {
        return new StartRefusal("Cannot listen on " + host + ":" + port + why + "; stop that one, or set " + setting
                                + " to a free port.");
    }
}
