package io.videotranscoder;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                         + "running: stop that one first, or give this one its own TRANSCODER_DATA_DIR (or, to share "
                         + "its Redis, REDIS_URL set to the address in " + videos.resolve(".redis").resolve("redis.url")
                         + ", its password included).", refusal.getMessage());
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

    /**
     * A value the service cannot take is refused with one line naming its variable, where it was a stack trace (a
     * tenant, trusted addresses, a storage address with a space, a switch of "yes", a webhook secret), a start that
     * looked fine and then misbehaved (a presets folder that does not exist ran the shipped presets, an inbox that is a
     * file, a public address without its scheme, one port for the API and the management) or a misleading line (an
     * address not of this machine blamed the port).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "transcoder.inbox-tenant        | Default          | TRANSCODER_INBOX_TENANT: A tenant is 1 to 63 lower-case",
        "transcoder.trusted-addresses   | 10.0.0.0/x       | TRANSCODER_TRUSTED_ADDRESSES must be addresses or blocks",
        "transcoder.storage             | s3://my bucket/v | TRANSCODER_STORAGE must be blank (the local data root) or",
        "transcoder.inbox-delete-originals | yes | TRANSCODER_INBOX_DELETE_ORIGINALS must be true or false",
        "transcoder.webhook-secret      | nope             | TRANSCODER_WEBHOOK_SECRET: ",
        "transcoder.presets-dir         | /nonexistent/presets | TRANSCODER_PRESETS_DIR is not a folder: /nonexistent/",
        "transcoder.public-url          | videos.example.com | TRANSCODER_PUBLIC_URL must be the address clients reach",
        "transcoder.event-token-secret  | x                | TRANSCODER_EVENT_TOKEN_SECRET must be 24 bytes or more",
        "transcoder.http-host           | 192.0.2.1        | Cannot listen on 192.0.2.1:",
        "transcoder.http-port           | management       | HTTP_PORT and MANAGEMENT_PORT must differ"})
    void a_value_the_service_cannot_take_is_refused_in_one_line_naming_its_variable(String name, String value,
            String refusal) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("transcoder.redis-url", REDIS.url(), name, value));
        if (value.equals("management")) {
            settings.put(name, Integer.toString(TestApp.freePort()));
            settings.put("transcoder.management-port", settings.get(name));
        }
        Exception failure = assertThrows(Exception.class, () -> TestApp.start(root.resolve("videos"), settings)
                .close());

        String reason = Main.refusal(failure);
        assertNotNull(reason, () -> "a refusal, not " + failure);
        assertTrue(reason.startsWith(refusal), reason);
    }

    @Test
    void an_inbox_that_is_a_file_is_refused_naming_its_variable() throws Exception {
        Path file = Files.writeString(root.resolve("inbox"), "a file where the folder should be");

        StartRefusal refusal = refusalOf(root.resolve("videos"), Map.of("transcoder.redis-url", REDIS.url(),
                "transcoder.inbox-dir", file.toString()));

        assertTrue(refusal.getMessage().endsWith("set TRANSCODER_INBOX_DIR to a folder the service may write."),
                refusal.getMessage());
    }

    @Test
    void a_setting_that_would_break_the_service_is_refused_before_anything_starts() throws Exception {
        StartRefusal refusal = refusalOf(root.resolve("videos"), Map.of("transcoder.lease", "0ms"));

        assertEquals("transcoder.lease (TRANSCODER_LEASE_MS) must be 500 ms or more, not '0ms'.", refusal.getMessage());
        assertFalse(Files.exists(root.resolve("videos")), "refused before the data root was even made");
    }
}
