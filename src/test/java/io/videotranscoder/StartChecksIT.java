package io.videotranscoder;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.videotranscoder.process.StartRefusal;
import io.videotranscoder.redis.EmbeddedRedis;
import io.videotranscoder.support.RedisServer;
import io.videotranscoder.support.TestApp;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What keeps the service from working stops its start with the line an operator acts on (Main logs a refusal as that
 * one line: UnsupportedPlatformIT): folders it cannot write, another service on its data, ports another program holds.
 * Instead of a stack trace, a start that fails every upload later, or one that runs on without its API.
 */
class StartChecksIT {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(4);

    @TempDir
    Path root;

    private StartRefusal refusalOf(Path dataDir, Map<String, String> settings) {
        Exception failure = assertThrows(Exception.class, () -> TestApp.start(dataDir, settings).close());
        StartRefusal refusal = ObjectHelper.getException(StartRefusal.class, failure);
        assertNotNull(refusal, () -> "a refusal, not " + failure);
        return refusal;
    }

    @Test
    void a_data_root_that_cannot_be_written_names_transcoder_data_dir() throws Exception {
        Path file = Files.writeString(root.resolve("videos"), "a file where the folder should be");

        StartRefusal embedded = refusalOf(file, Map.of());
        StartRefusal external = refusalOf(file, Map.of("transcoder.redis-url", REDIS.url()));

        assertEquals("Cannot write in " + file.resolve(".redis") + " (Not a directory): set TRANSCODER_DATA_DIR to a "
                     + "folder the service may write.", embedded.getMessage());
        assertEquals("Cannot write in " + file + " (" + file + " is a file, not a folder): set TRANSCODER_DATA_DIR to "
                     + "a folder the service may write.", external.getMessage());
    }

    @Test
    void a_cache_that_cannot_be_written_names_transcoder_cache_dir() throws Exception {
        Path file = Files.writeString(root.resolve("cache"), "a file where the folder should be");

        StartRefusal refusal = refusalOf(root.resolve("videos"), Map.of("transcoder.cache-dir", file.toString()));

        assertTrue(refusal.getMessage().startsWith("Cannot unpack redis-7.0.15-"), refusal.getMessage());
        assertTrue(refusal.getMessage().endsWith(" into the cache folder " + file + " (" + file + " is a file, not a "
                                                 + "folder): set TRANSCODER_CACHE_DIR to a folder the service may "
                                                 + "write."), refusal.getMessage());
    }

    @Test
    void a_second_service_on_the_same_data_is_refused_and_the_first_keeps_its_redis() throws Exception {
        Path videos = root.resolve("videos");
        try (TestApp first = TestApp.start(videos, Map.of())) {
            StartRefusal refusal = refusalOf(videos, Map.of());

            assertEquals("The embedded Redis in " + videos.resolve(".redis") + " belongs to a video-transcoder that is "
                         + "running: stop that one first, or give this one its own TRANSCODER_DATA_DIR (or a REDIS_URL "
                         + "to share its Redis).", refusal.getMessage());
            assertEquals(200, first.http().get("/jobs").status(), "the first still reads its jobs from its Redis");
        }
    }

    @Test
    void a_port_another_program_holds_is_refused_naming_its_variable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            String port = Integer.toString(taken.getLocalPort());

            StartRefusal api = refusalOf(root.resolve("a"), Map.of("transcoder.http-port", port));
            StartRefusal management = refusalOf(root.resolve("b"), Map.of("transcoder.management-port", port));

            assertEquals("Cannot listen on 0.0.0.0:" + port + " (Address already in use): another program, or this "
                         + "service started twice, holds it; stop that one, or set HTTP_PORT to a free port.",
                    api.getMessage());
            assertTrue(management.getMessage().endsWith("set MANAGEMENT_PORT to a free port."),
                    management.getMessage());
        }
    }

    /**
     * A port another program takes after the check before the start (here a Redis server, as a test JVM's once did,
     * started once the service is configured, before its servers start): Vert.x only logs that it cannot listen, and
     * the service must not run on without its API.
     */
    @Test
    void a_port_taken_while_the_service_starts_is_refused_instead_of_run_without() throws Exception {
        int port = TestApp.freePort();
        org.apache.camel.main.Main main = Main.application(Map.of("transcoder.data-dir",
                root.resolve("videos").toString(), "transcoder.inbox-dir", root.resolve("inbox").toString(),
                "transcoder.http-port", Integer.toString(port), "transcoder.management-port",
                Integer.toString(TestApp.freePort())));
        EmbeddedRedis other = new EmbeddedRedis(root.resolve("other"), port, TestApp.CACHE);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport service) {
                other.start();
            }
        });
        try {
            Exception failure = assertThrows(Exception.class, main::start);
            StartRefusal refusal = ObjectHelper.getException(StartRefusal.class, failure);

            assertNotNull(refusal, () -> "a refusal, not " + failure);
            assertEquals("Cannot listen on 0.0.0.0:" + port + ": another program took it as this service started; "
                         + "stop that one, or set HTTP_PORT to a free port.", refusal.getMessage());
            assertTrue(other.isStarted(), "the port was taken after the check, not before");
        } finally {
            main.stop();
            other.stop();
        }
    }

    @Test
    void a_setting_that_would_break_the_service_is_refused_before_anything_starts() throws Exception {
        StartRefusal refusal = refusalOf(root.resolve("videos"), Map.of("transcoder.lease", "0ms"));

        assertEquals("transcoder.lease (TRANSCODER_LEASE_MS) must be more than 0, not '0ms'.", refusal.getMessage());
        assertFalse(Files.exists(root.resolve("videos")), "refused before the data root was even made");
    }
}
