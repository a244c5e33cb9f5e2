package io.videotranscoder.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.videotranscoder.Main;
import io.videotranscoder.preset.PresetCatalog;
import org.apache.camel.CamelContext;

/** The whole service, started in-process as {@code java -jar} would start it, on free ports and its own data root. */
public final class TestApp implements AutoCloseable {

    /** The service's cache when none is set (application.properties): the tests' apps, jars and servers share it. */
    public static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "video-transcoder");

    private final org.apache.camel.main.Main main;
    private final int httpPort;
    private final int managementPort;
    private final Path dataDir;

    private TestApp(org.apache.camel.main.Main main, int httpPort, int managementPort, Path dataDir) {
        this.main = main;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
    }

    /**
     * The service's timers, short unless a test sets its own: a test waits on them (a retry is found at the next look
     * for expired leases, a stopping app ends its read of the queue first, ...), and the defaults are made for
     * production.
     */
    private static final Map<String, String> SHORT_TIMERS = Map.of("transcoder.claim-interval", "200ms",
            "transcoder.queue-block", "200ms", "transcoder.housekeeping-delay", "100ms",
            "transcoder.watch-period", "250ms", "transcoder.inbox-poll", "100ms", "transcoder.inbox-stable", "300ms",
            "transcoder.metrics-refresh", "100ms");

    /**
     * One thread per decoder and encoder of each FFmpeg: four test JVMs share two cores, where FFmpeg's own choice (a
     * thread per core for each) spends a tenth more CPU in all (bench/README.md). Jars get it too ({@link JarProcess}).
     */
    public static final String FFMPEG_THREADS = "1";

    /**
     * The default preset (h264-720p, which most tests' jobs take) as shipped but for x264's speed: ultrafast, about a
     * quarter of the CPU (8 s of 720p: 1.3 s against 4.6 s at medium, 3.0 s at veryfast), with the same codec, size,
     * container and bitrate; a short clip's file comes out up to twice as large.
     * As an operator's presets folder replaces a shipped preset of the same name; a test that sets its own folder
     * (PresetsIT) runs the shipped preset itself, and so does an app on the Redis of a jar the test started: the jar's
     * workers run the shipped presets, and the parts and attempts of one job must be encoded alike.
     */
    private static Path fastPresets;

    private static final int FIRST_PORT = 20000;
    private static final int PORTS_PER_JVM = 500;
    private static final int FORK = Integer.getInteger("test.fork", 0);
    private static int nextPort;

    private static synchronized Path fastPresets() throws IOException {
        if (fastPresets == null) {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode shipped;
            try (InputStream in = TestApp.class.getResourceAsStream("/presets.yaml")) {
                shipped = yaml.readTree(in);
            }
            ObjectNode preset = StreamSupport.stream(shipped.path("presets").spliterator(), false)
                    .filter(p -> p.path("name").asText().equals(PresetCatalog.DEFAULT)).map(ObjectNode.class::cast)
                    .findFirst().orElseThrow();
            ((ObjectNode) preset.path("video")).put("speed", "ultrafast");
            fastPresets = Files.createTempDirectory("fast-presets-");
            yaml.writeValue(fastPresets.resolve("default.yaml").toFile(),
                    yaml.createObjectNode().set("presets", yaml.createArrayNode().add(preset)));
            fastPresets.toFile().deleteOnExit();
            fastPresets.resolve("default.yaml").toFile().deleteOnExit();
        }
        return fastPresets;
    }

    public static TestApp start(Path dataDir, Map<String, String> settings) throws Exception {
        return start(dataDir, settings, Map.of());
    }

    /** As {@link #start(Path, Map)}, with {@code beans} bound before start (those the service looks up if present). */
    public static TestApp start(Path dataDir, Map<String, String> settings, Map<String, Object> beans)
            throws Exception {
        int http = port(settings, "transcoder.http-port");
        int management = port(settings, "transcoder.management-port");
        Map<String, String> overrides = new HashMap<>(SHORT_TIMERS);
        overrides.put("transcoder.ffmpeg-threads", FFMPEG_THREADS);
        overrides.putAll(settings);
        overrides.put("transcoder.data-dir", dataDir.toString());
        overrides.put("transcoder.http-port", Integer.toString(http));
        overrides.put("transcoder.management-port", Integer.toString(management));
        overrides.putIfAbsent("transcoder.worker-name", "test-worker");
        overrides.putIfAbsent("transcoder.inbox-dir", dataDir.resolveSibling("inbox").toString());
        if (!JarProcess.worksOn(overrides.getOrDefault("transcoder.redis-url", ""))) {
            overrides.putIfAbsent("transcoder.presets-dir", fastPresets().toString());
        }
        org.apache.camel.main.Main main = Main.application(overrides);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (RuntimeException e) {
            main.stop(); // what did start (Redis, HTTP servers) does not outlive a refused start
            throw e;
        }
        return new TestApp(main, http, management, dataDir);
    }

    public Http http() {
        return new Http("http://127.0.0.1:" + httpPort);
    }

    public Http management() {
        return Http.unchecked("http://127.0.0.1:" + managementPort);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path inbox() {
        return Path.of(context().getPropertiesComponent().resolveProperty("transcoder.inbox-dir").orElseThrow());
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }

    /** The port a test set, or a free one. */
    private static int port(Map<String, String> settings, String name) throws IOException {
        return settings.containsKey(name) ? Integer.parseInt(settings.get(name)) : freePort();
    }

    /**
     * A port free now, below the system's ephemeral range and in this test JVM's own block of 500 (failsafe's
     * {@code surefire.forkNumber}): a port taken from the ephemeral range was free only until the next process asked
     * for one, and a Redis server started by another test JVM got the API port an app was about to listen on.
     */
    public static synchronized int freePort() throws IOException {
        for (int tries = 0; tries < PORTS_PER_JVM; tries++) {
            int port = FIRST_PORT + PORTS_PER_JVM * (FORK % 20) + nextPort++ % PORTS_PER_JVM;
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true); // as Vert.x binds: a port in TIME_WAIT is free
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new IOException("No free port in this test JVM's block from " + FIRST_PORT);
    }
}
