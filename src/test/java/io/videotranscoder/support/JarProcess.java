package io.videotranscoder.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -Xmx256m -jar target/video-transcoder.jar} as a child process, as an operator would run it. */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Http http;
    private final Path log;

    private JarProcess(Process process, Http http, Path log) {
        this.process = process;
        this.http = http;
        this.log = log;
    }

    /** Starts the jar in {@code workDir} with {@code env} on top of a clean environment; waits until it is live. */
    public static JarProcess start(Path workDir, Path log, int httpPort, Map<String, String> env) throws Exception {
        return launch(workDir, log, httpPort, env).awaitLive();
    }

    /** Starts the jar without waiting for it, so that several start at once; {@link #awaitLive()} before using it. */
    public static JarProcess launch(Path workDir, Path log, int httpPort, Map<String, String> env) throws Exception {
        Path jar = Path.of("target", "video-transcoder.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run `mvn verify`: the jar is built in the package phase");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
        // The test JVMs' own options (pom.xml, test.jvm.options): the image's serial collector, and C1 only.
        command.addAll(List.of(System.getProperty("test.jvm.options", "").split("\\s+")));
        command.removeIf(String::isBlank);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Files.createDirectories(workDir).toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("TRANSCODER_") || k.equals("REDIS_URL")
                || k.startsWith("FFMPEG") || k.startsWith("FFPROBE"));
        Map<String, String> all = new HashMap<>(Map.of("HTTP_PORT", Integer.toString(httpPort),
                "MANAGEMENT_PORT", Integer.toString(TestApp.freePort())));
        all.putAll(env);
        builder.environment().putAll(all);
        return new JarProcess(builder.start(), new Http("http://127.0.0.1:" + httpPort), log);
    }

    /** Waits until the jar answers on its API port. */
    public JarProcess awaitLive() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !process.isAlive() || http.get("/jobs").status() == 200);
        assertTrue(process.isAlive(), () -> "the jar exited at start:\n" + logTail());
        return this;
    }

    public Process process() {
        return process;
    }

    public Http http() {
        return http;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
