package io.videotranscoder.inbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service bound by files' permissions, as it runs in its container as the user TRANSCODER_UID names: a
 * file dropped into the inbox that this user cannot read went into a claim, failed, went back into the inbox once the
 * claim timed out, and round again for ever, an error logged each time and no word to the user.
 */
class InboxPermissionsIT {

    @TempDir
    Path folder;

    @Test
    void a_file_the_service_cannot_read_ends_in_failed_with_its_reason_once() throws Exception {
        Path inbox = folder.resolve("inbox");
        Path log = folder.resolve("app.log");
        try (JarProcess app = JarProcess.startBoundByPermissions(folder.resolve("app"), log, TestApp.freePort(),
                Map.of("TRANSCODER_INBOX_DIR", inbox.toString(), "TRANSCODER_INBOX_STABLE_MS", "200",
                        "TRANSCODER_INBOX_POLL_MS", "100", "TRANSCODER_INBOX_CLAIM_TIMEOUT_MS", "1000"))) {
            Path secret = Files.write(Files.createDirectories(inbox).resolve("secret.mp4"), new byte[] {0, 0, 0, 24});
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

            Path note = inbox.resolve(".failed/secret.mp4.error.txt");
            // Made, then written (a look between the two reads it empty), then the file moved beside it.
            String said = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> Files.readString(note), text -> !text.isEmpty());
            assertTrue(said.contains("cannot read this file"), said);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(inbox.resolve(".failed/secret.mp4")));
            // Past a few claim timeouts: it stays filed, and nothing went wrong on the way.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> Files.exists(inbox.resolve(".failed/secret.mp4")));
            String logged = Files.readString(log);
            assertFalse(logged.contains(" ERROR ") || logged.contains("Returned secret.mp4"), app.logTail());
        }
    }
}
