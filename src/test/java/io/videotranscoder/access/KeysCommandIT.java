package io.videotranscoder.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar target/video-transcoder.jar keys create ...} as an operator runs it: in a fresh folder before the
 * service ever ran, and beside the running service, which then holds the embedded Redis. (That a key made while the
 * service runs ends its protected mode is ProtectedModeIT's.)
 */
class KeysCommandIT {

    @TempDir
    Path folder;

    /** The command's exit code and its standard output, lines in order. */
    record Run(int exit, List<String> out, String err) {
        String lastLine() {
            return out.get(out.size() - 1);
        }
    }

    static Run keys(Path workDir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "keys";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = JarProcess.java(workDir, List.of("-Xmx128m"), command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8).lines().toList(),
                new String(err, StandardCharsets.UTF_8));
    }

    /** One service for both keys (a start of the jar is seconds of CPU): one made before it ran, one beside it. */
    @Test
    void creates_a_key_in_a_fresh_folder_that_the_service_then_accepts_and_one_beside_it_running() throws Exception {
        Path home = folder.resolve("fresh");
        Run created = keys(home, "create", "--name", "ci", "--scopes", "jobs:read,jobs:write", "--tenant", "acme");

        assertEquals(0, created.exit(), created.err());
        String key = created.lastLine();
        assertTrue(ApiKey.wellFormed(key), key);
        assertEquals(1, created.out().stream().filter(line -> line.contains(key.substring(3, 25))).count(),
                "the key is printed once, alone on the last line");
        assertTrue(Files.isDirectory(home.resolve("videos/.redis")), "stored in the embedded Redis of the data root");

        int port = TestApp.freePort();
        Path log = folder.resolve("fresh.log");
        try (JarProcess service = JarProcess.start(home, log, port, Map.of(), "X-API-Key", key)) {
            Http http = service.http();
            assertEquals(200, http.get("/jobs", "X-API-Key", key).status());
            assertEquals(401, http.get("/jobs").status(), "a key exists: protected mode is over, also on loopback");
            assertEquals(403, http.get("/admin/keys", "Authorization", "Bearer " + key).status());

            Run beside = keys(home, "create", "--name", "ops", "--scopes", "admin");

            assertEquals(0, beside.exit(), beside.err());
            String admin = beside.lastLine();
            assertEquals(200, http.get("/admin/keys", "X-API-Key", admin).status());
            assertTrue(http.get("/admin/keys", "X-API-Key", admin).body().contains("\"name\":\"ops\""));
            assertTrue(service.process().isAlive());
            assertTrue(beside.out().stream().noneMatch(line -> line.contains("Embedded Redis")),
                    "the command used the service's Redis, it did not start one of its own: " + beside.out());
            String logged = Files.readString(log);
            assertFalse(logged.contains("exited with"), "the service's Redis ran on");
            assertFalse(logged.contains(key.substring(3, 25)) || logged.contains(admin.substring(3, 25)),
                    "no key in the service's log");
        }
    }

    @Test
    void refuses_a_wrong_command_line_with_the_usage_and_generates_keys_without_storing_them() throws Exception {
        Path home = folder.resolve("usage");
        Run noScopes = keys(home, "create", "--name", "ci");
        Run badScope = keys(home, "create", "--name", "ci", "--scopes", "jobs:everything");
        Run generated = keys(home, "generate");

        assertEquals(2, noScopes.exit());
        assertTrue(noScopes.err().contains("keys create --name NAME --scopes"), noScopes.err());
        assertEquals(2, badScope.exit());
        assertTrue(badScope.err().contains("jobs:everything"), badScope.err());
        assertEquals(0, generated.exit());
        assertTrue(ApiKey.wellFormed(generated.lastLine()));
        assertFalse(Files.exists(home.resolve("videos")), "nothing stored, no Redis started");
    }
}
