package io.videotranscoder.access;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.redis.RedisConnections;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import redis.clients.jedis.JedisPooled;

/**
 * {@code java -jar video-transcoder.jar keys create --name NAME --scopes S1,S2 [--tenant T] [--expires-at INSTANT]}:
 * stores a new key in the Redis the service uses and prints it, alone on the last line; {@code keys generate} prints a
 * new key and stores nothing (for {@code TRANSCODER_BOOTSTRAP_ADMIN_KEY}). The Redis is the configured one
 * ({@code REDIS_URL}), else the embedded one under the data root: the server of a service running there if there is
 * one (a second server on the same files would stop the first), else one started for the command and stopped after.
 */
public final class KeysCommand {

    static final String USAGE = """
            usage: java -jar video-transcoder.jar keys create --name NAME --scopes S1,S2 [--tenant T] \
                       [--expires-at 2027-01-01T00:00:00Z]
                   java -jar video-transcoder.jar keys generate
            scopes: %s""".formatted(Scope.names());

    private final PrintStream out;
    private final PrintStream err;

    KeysCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Whether {@code args} ask for this command rather than the service. */
    public static boolean asked(String... args) {
        return args.length > 0 && args[0].equals("keys");
    }

    /** @return the exit code: 0 done, 1 Redis failed, 2 a wrong command line */
    public static int run(String... args) {
        return new KeysCommand(System.out, System.err).execute(args);
    }

    int execute(String... args) {
        if (args.length == 2 && args[1].equals("generate")) {
            out.println(ApiKey.generate());
            return 0;
        }
        Map<String, String> options = args.length >= 2 && args[1].equals("create") ? options(args) : null;
        if (options == null || !options.containsKey("--name") || !options.containsKey("--scopes")) {
            err.println(USAGE);
            return 2;
        }
        KeyRequest request;
        try {
            request = KeyRequest.of(options.get("--name"), options.get("--scopes"), options.get("--tenant"),
                    expiry(options.get("--expires-at")), Instant.now());
        } catch (Refusal e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            KeyStore.Issued issued = create(request);
            out.printf("Created key %s \"%s\" (scopes %s, tenant %s%s). It is shown this once:%n",
                    issued.record().id(), issued.record().name(), Scope.join(issued.record().scopes()),
                    issued.record().tenant(), request.expiresAt() == null ? "" : ", expires " + request.expiresAt());
            out.println(issued.key());
            return 0;
        } catch (RuntimeException e) {
            err.println("The key could not be stored: " + e.getMessage());
            return 1;
        }
    }

    private static KeyStore.Issued create(KeyRequest request) {
        // The service's own settings, read as it reads them (application.properties, environment, -D); a context
        // that is never started holds nothing to close.
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.setLocation("classpath:application.properties");
        String prefix = properties.resolveProperty("transcoder.key-prefix").orElseThrow();
        Optional<String> url = properties.resolveProperty("transcoder.redis-url").filter(v -> !v.isBlank());
        Path redisDir = Path.of(properties.resolveProperty("transcoder.data-dir").orElseThrow()).resolve(".redis");
        EmbeddedRedis started = null;
        if (url.isEmpty()) {
            url = EmbeddedRedis.runningOn(redisDir);
        }
        if (url.isEmpty()) {
            started = new EmbeddedRedis(redisDir,
                    Path.of(properties.resolveProperty("transcoder.cache-dir").orElseThrow()));
            started.start();
            url = Optional.of(started.url());
        }
        try (JedisPooled redis = RedisConnections.pooled(url.get(), 2)) {
            return request.issueIn(new KeyStore(redis, prefix), Clock.systemUTC().instant());
        } finally {
            if (started != null) {
                started.stop(); // flushes the append-only file the service reads at its next start
            }
        }
    }

    /** {@code --option value} pairs after the verb; null when one lacks its value or is not an option. */
    private static Map<String, String> options(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return null;
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static Instant expiry(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.invalidField("expiresAt", "--expires-at must be an instant such as 2027-01-01T00:00:00Z.");
        }
    }
}
