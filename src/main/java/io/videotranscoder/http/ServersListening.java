package io.videotranscoder.http;

import java.io.IOException;
import java.util.Set;

import io.videotranscoder.process.FreePort;
import io.videotranscoder.process.ListeningSockets;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * Once started, each HTTP server of the service (the API's, the management's) listens, or the start is refused:
 * Vert.x only logs a port it could not bind, and the service would run on without its API or its health checks. The
 * ports are checked before the start ({@link FreePort#require}); this catches a port another program took in between.
 */
public final class ServersListening implements StartupListener {

    private final int apiPort;

    /** @param apiPort the API's port; any other server is the management's */
    public ServersListening(int apiPort) {
        this.apiPort = apiPort;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) throws IOException {
        if (!ListeningSockets.known()) {
            return;
        }
        Set<Integer> listening = ListeningSockets.ports();
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (!listening.contains(server.getPort())) {
                throw FreePort.takenSince(server.getHost(), server.getPort(),
                        server.getPort() == apiPort ? "HTTP_PORT" : "MANAGEMENT_PORT");
            }
        }
    }
}
