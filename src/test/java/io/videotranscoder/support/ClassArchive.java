package io.videotranscoder.support;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.io.file.PathUtils;

import static org.awaitility.Awaitility.await;

/**
 * A class-data sharing archive of the jar's classes (the JDK's CDS), made once per build beside the jar: every start
 * of the jar in the tests then maps the classes a first start loaded, parsed and verified instead of doing it again
 * (measured: 2.7 s of CPU a start without it, 1.7 s with it). The first test JVM to need it makes it (the others wait
 * on a file lock): the jar started until it answers and stopped with SIGTERM, the JVM writing the archive as it exits.
 * Without it, or with one the JVM finds stale, the jar starts as it would anyway, only slower.
 */
final class ClassArchive {

    private static final Path ARCHIVE = Path.of("target", "video-transcoder.jsa").toAbsolutePath();

    private static List<String> options;

    private ClassArchive() {
    }

    /** The JVM options that use the archive, made first if the jar is newer; none if it could not be made. */
    static synchronized List<String> options(Path jar) {
        if (options == null) {
            options = current(jar) || made(jar)
                    ? List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds*=off") : List.of();
        }
        return options;
    }

    private static boolean current(Path jar) {
        try {
            return Files.isRegularFile(ARCHIVE)
                   && Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean made(Path jar) {
        try (FileChannel file = FileChannel.open(ARCHIVE.resolveSibling("video-transcoder.jsa.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = file.lock()) {
            return current(jar) || dump(jar);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean dump(Path jar) throws Exception {
        Path dir = Files.createTempDirectory("class-archive-");
        Path partial = ARCHIVE.resolveSibling("video-transcoder.jsa.part");
        int port = TestApp.freePort();
        ProcessBuilder builder = JarProcess.plainJava(dir, List.of("-Xmx256m", "-XX:ArchiveClassesAtExit=" + partial))
                .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
        builder.environment().putAll(Map.of("HTTP_PORT", Integer.toString(port),
                "MANAGEMENT_PORT", Integer.toString(TestApp.freePort())));
        Process process = builder.start();
        try {
            Http http = Http.unchecked("http://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !process.isAlive() || http.get("/jobs").status() == 200);
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS) || !Files.isRegularFile(partial)) {
                return false;
            }
            Files.move(partial, ARCHIVE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            process.destroyForcibly();
            process.waitFor();
            PathUtils.deleteDirectory(dir);
        }
    }
}
