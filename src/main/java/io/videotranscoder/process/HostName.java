package io.videotranscoder.process;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name: stable per container, distinct between replicas, so a good default for a worker's name. */
public final class HostName {

    private HostName() {
    }

    /** The name configured ({@code TRANSCODER_WORKER_NAME}), else this machine's: what this process goes by. */
    public static String or(String configured) {
        return configured == null || configured.isBlank() ? get() : configured;
    }

    public static String get() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
