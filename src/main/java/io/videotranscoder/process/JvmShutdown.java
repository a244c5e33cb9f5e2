package io.videotranscoder.process;

/**
 * Whether the JVM has begun shutting down (SIGTERM), known before Camel's own shutdown marks the context stopping:
 * a poller then takes no new work, and a child process stopped then was stopped by this service.
 */
public final class JvmShutdown {

    private static volatile boolean started;

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started = true, "jvm-shutdown-flag"));
        } catch (IllegalStateException shutdownInProgress) {
            started = true; // SIGTERM came while the service was still starting
        }
    }

    private JvmShutdown() {
    }

    public static boolean started() {
        return started;
    }
}
