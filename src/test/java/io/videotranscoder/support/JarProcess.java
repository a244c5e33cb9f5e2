package io.videotranscoder.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.videotranscoder.process.ChildProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -Xmx256m -jar target/video-transcoder.jar} as a child process, as an operator would run it. */
public final class JarProcess implements AutoCloseable {

    /** The Redis servers that jars started here work on: see {@link TestApp}'s presets. */
    private static final Set<String> REDIS_URLS = ConcurrentHashMap.newKeySet();

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

    /**
     * The same for a service whose data holds API keys: it is live once its job list answers a request with
     * {@code headers} (a key); without one it would answer 401 before its routes are there.
     */
    public static JarProcess start(Path workDir, Path log, int httpPort, Map<String, String> env, String... headers)
            throws Exception {
        return launch(workDir, log, httpPort, env).awaitLive(headers);
    }

    /** Starts a worker (no API: {@code TRANSCODER_ROLE=worker}); waits until its management port says it is ready. */
    public static JarProcess startWorker(Path workDir, Path log, Map<String, String> env) throws Exception {
        Map<String, String> worker = new HashMap<>(env);
        worker.put("TRANSCODER_ROLE", "worker");
        int management = TestApp.freePort();
        worker.put("MANAGEMENT_PORT", Integer.toString(management));
        worker.put("HTTP_PORT", Integer.toString(TestApp.freePort())); // not served: the role has no API
        return launch(workDir, log, management, worker, false).awaitAnswer("/observe/health/ready");
    }

    /**
     * Starts the jar without waiting for it, so that several start at once; {@link #awaitLive} before using it. Its
     * {@link #http()} calls {@code port}: the API's (HTTP_PORT), unless {@code env} moves that elsewhere.
     */
    public static JarProcess launch(Path workDir, Path log, int port, Map<String, String> env) throws Exception {
        return launch(workDir, log, port, env, true);
    }

    /**
     * As {@link #start(Path, Path, int, Map)} with no settings, the way a shell runs a command in a terminal: the
     * leader of a process group of its own, which {@link #interrupt()} signals as Ctrl-C does, with SIGINT handled as
     * the JVM's default (a build started in the background, {@code mvn verify &}, hands its processes SIGINT ignored,
     * and a JVM keeps a signal ignored that it was started with). It dies with the thread that started it
     * ({@code setpriv --pdeathsig}), since this JVM's own signals no longer reach its group.
     */
    public static JarProcess startAsTerminalCommand(Path workDir, Path log, int httpPort) throws Exception {
        List<String> wrapper = new ArrayList<>(ChildProcess.ownSession());
        wrapper.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        wrapper.addAll(ChildProcess.deathSignal());
        return launch(workDir, log, httpPort, Map.of(), true, wrapper).awaitLive();
    }

    /**
     * As {@link #start(Path, Path, int, Map)}, subject to files' permissions as the service's own user would be: as
     * root (the tests' user here), without the capabilities that let root read and write any file.
     */
    public static JarProcess startBoundByPermissions(Path workDir, Path log, int httpPort, Map<String, String> env)
            throws Exception {
        List<String> wrapper = "root".equals(System.getProperty("user.name"))
                ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
                        "-dac_override,-dac_read_search")
                : List.of();
        return launch(workDir, log, httpPort, env, true, wrapper).awaitLive();
    }

    /** Ctrl-C in the terminal of a {@link #startAsTerminalCommand}: SIGINT to each process of its group. */
    public void interrupt() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT of the group");
    }

    private static JarProcess launch(Path workDir, Path log, int port, Map<String, String> env, boolean api)
            throws Exception {
        return launch(workDir, log, port, env, api, List.of());
    }

    /**
     * @param api     whether {@code port} is the API's, whose answers are held to its contract, or the management's
     * @param wrapper what starts {@code java} (nothing: {@code java} itself)
     */
    private static JarProcess launch(Path workDir, Path log, int port, Map<String, String> env, boolean api,
            List<String> wrapper) throws Exception {
        ProcessBuilder builder = java(workDir, List.of("-Xmx256m")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.command().addAll(0, wrapper);
        Map<String, String> all = new HashMap<>(Map.of("HTTP_PORT", Integer.toString(port),
                "MANAGEMENT_PORT", Integer.toString(TestApp.freePort()),
                "TRANSCODER_FFMPEG_THREADS", TestApp.FFMPEG_THREADS));
        all.putAll(env);
        if (all.containsKey("REDIS_URL")) {
            REDIS_URLS.add(all.get("REDIS_URL"));
        }
        builder.environment().putAll(all);
        String base = "http://127.0.0.1:" + port;
        return new JarProcess(builder.start(), api ? new Http(base) : Http.unchecked(base), log);
    }

    /** Waits until the jar's job list answers (a request with {@code headers}, when its data holds API keys). */
    public JarProcess awaitLive(String... headers) throws Exception {
        return awaitAnswer("/jobs", headers);
    }

    /** Waits until {@code path} answers 200 to a request with {@code headers}. */
    private JarProcess awaitAnswer(String path, String... headers) throws Exception {
        try {
            // An upper bound only: a start takes seconds, but minutes on a machine loaded many times over.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !process.isAlive() || http.get(path, headers).status() == 200);
            assertTrue(process.isAlive(), () -> "the jar exited at start:\n" + logTail());
            return this;
        } catch (RuntimeException | AssertionError e) {
            close(); // a start that failed leaves no process behind: the caller never got one to close
            throw e;
        }
    }

    /**
     * {@code java <options> -jar target/video-transcoder.jar <args>} in {@code workDir}, with a clean environment and
     * the test JVMs' own options (pom.xml, test.jvm.options: the image's serial collector, C1 only, a small young
     * generation), the jar's classes mapped from the build's {@link ClassArchive}.
     */
    public static ProcessBuilder java(Path workDir, List<String> options, String... args) throws IOException {
        List<String> all = new ArrayList<>(ClassArchive.options(jar()));
        all.addAll(options);
        return plainJava(workDir, all, args);
    }

    private static Path jar() {
        Path jar = Path.of("target", "video-transcoder.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "run `mvn verify`: the jar is built in the package phase");
        return jar;
    }

    /** As {@link #java}, without the class archive (which this makes). */
    static ProcessBuilder plainJava(Path workDir, List<String> options, String... args) throws IOException {
        Path jar = jar();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        Arrays.stream(System.getProperty("test.jvm.options", "").split("\\s+")).filter(o -> !o.isBlank())
                .forEach(command::add);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Files.createDirectories(workDir).toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("TRANSCODER_") || k.equals("REDIS_URL")
                || k.startsWith("FFMPEG") || k.startsWith("FFPROBE") || k.startsWith("AWS_"));
        return builder;
    }

    /** Whether a jar started by this JVM works on the Redis at {@code url}. */
    static boolean worksOn(String url) {
        return REDIS_URLS.contains(url);
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
        } catch (IOException e) {
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
