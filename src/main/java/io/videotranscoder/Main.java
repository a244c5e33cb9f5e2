package io.videotranscoder;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.access.KeysCommand;
import io.videotranscoder.metrics.TranscoderMetrics;
import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.storage.StorageUri;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.util.ObjectHelper;
import org.apache.logging.log4j.LogManager;
import org.slf4j.LoggerFactory;

/** Starts the service in the role named by {@code TRANSCODER_ROLE} ({@code all}, {@code api} or {@code worker}). */
public final class Main {

    /** Longer than Camel's shutdown may take: camel.main.shutdown-timeout (30 s) and what it adds to it. */
    private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(45);

    private static final Set<String> ROLES = Set.of("all", "api", "worker");

    private Main() {
    }

    public static void main(String... args) {
        if (KeysCommand.asked(args)) {
            System.exit(KeysCommand.run(args));
        }
        // The JVM exits as soon as its shutdown hooks return: on SIGTERM this one holds it until Camel's shutdown
        // (running jobs finished or handed back) is over and logged. Log4j's own hook is off (log4j2.properties).
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(finished), "transcoder-shutdown"));
        int exitCode = 1;
        try {
            exitCode = application(Map.of()).run(args);
        } catch (Exception e) {
            // The HTTP server's threads would keep a half-started JVM alive: a failed start must end the process.
            String refusal = refusal(e);
            if (refusal != null) {
                LoggerFactory.getLogger(Main.class).error(refusal); // a fact to act on, not a bug
                LoggerFactory.getLogger(Main.class).debug("The refused start in full", e);
            } else {
                LoggerFactory.getLogger(Main.class).error("video-transcoder failed to start", e);
            }
        } finally {
            LogManager.shutdown();
            finished.countDown();
        }
        System.exit(exitCode);
    }

    /**
     * What refused the start, in the service's own words: a {@link StartRefusal}, or a value a setting's own check
     * refused (an {@link IllegalArgumentException} this service threw); null for a fault, logged with its trace.
     */
    static String refusal(Throwable failure) {
        StartRefusal refusal = ObjectHelper.getException(StartRefusal.class, failure);
        if (refusal != null) {
            return refusal.getMessage();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            StackTraceElement[] where = cause.getStackTrace();
            if (cause instanceof IllegalArgumentException && where.length > 0
                && where[0].getClassName().startsWith("io.videotranscoder.")) {
                return cause.getMessage();
            }
        }
        return null;
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await(SHUTDOWN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The service with {@code overrides} winning over every other setting. Its role is a camel-main profile, so that
     * {@code application-<role>.properties} leaves out the flows the role does not run.
     */
    public static org.apache.camel.main.Main application(Map<String, String> overrides) {
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        // The management server takes the registry it finds at start: ours has the histogram buckets.
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, TranscoderMetrics.registry());
        main.configure().setProfile(role(overrides));
        // Where jobs' files are kept decides which storage flows load (routes/storage/) and the bucket they use.
        StorageUri storage = StorageUri.parse(setting(overrides, "transcoder.storage", "TRANSCODER_STORAGE", ""));
        main.addOverrideProperty("camel.main.routes-include-pattern",
                RouteFiles.flows() + ",classpath:routes/storage/" + storage.routes() + ".yaml");
        main.addOverrideProperty("transcoder.s3-bucket", storage.local() ? "none" : storage.bucket());
        main.addOverrideProperty("transcoder.s3-prefix", storage.prefix());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** From the overrides, else the system property, else the environment variable, else the default. */
    private static String setting(Map<String, String> overrides, String key, String variable, String otherwise) {
        return overrides.getOrDefault(key, System.getProperty(key, System.getenv().getOrDefault(variable, otherwise)));
    }

    /** From the overrides, else -Dtranscoder.role, else TRANSCODER_ROLE: the profile is chosen before any property. */
    private static String role(Map<String, String> overrides) {
        String role = setting(overrides, "transcoder.role", "TRANSCODER_ROLE", "all").toLowerCase(Locale.ROOT);
        if (!ROLES.contains(role)) {
            throw new StartRefusal("TRANSCODER_ROLE must be all, api or worker, not " + role + ".");
        }
        return role;
    }
}
