package io.videotranscoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.TestApp;
import io.videotranscoder.support.Tools;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every command of README.md, pasted as written, in its order, into one bash session in the folder of the packaged
 * jar started as the README says: each must succeed, and where the README shows an answer, the real one must have
 * its shape (the same status line, JSON fields and status, first word of each line). Only the ports are changed,
 * and the README's example job ids become the real ones. A command the README gains is run too, unless listed
 * below with the reason it cannot run here, so that the README cannot drift from the service.
 */
class ReadmeIT {

    /** Commands not run here, and what runs them instead. */
    private static final Map<String, String> NOT_RUN_HERE = pairs(
            "mvn -q package -DskipTests && java -jar target/video-transcoder.jar",
            "this test runs the jar the package phase built, as the README says",
            "mvn -B verify", ".ci/run runs it",
            "docker compose up --build -d     # API on :8080; health and metrics on 127.0.0.1:9876; Prometheus "
            + "127.0.0.1:9090; Grafana 127.0.0.1:3000",
            "no Docker engine on the build machines: DeploymentFilesTest runs docker-compose config",
            "kubectl kustomize deploy/kubernetes/overlays/rwx > video-transcoder.yaml   # no cluster needed",
            "runs from the repository, not the service's folder: KubernetesManifestsTest renders every overlay",
            "kubectl create namespace video-transcoder", "needs a cluster",
            "kubectl -n video-transcoder create secret generic video-transcoder --from-literal=redis-password=\"$(openssl "
            + "rand -hex 24)\" --from-literal=bootstrap-admin-key=\"$(java -jar target/video-transcoder.jar keys "
            + "generate)\"", "needs a cluster",
            "kubectl apply -k deploy/kubernetes/overlays/rwx", "needs a cluster",
            "kubectl -n video-transcoder create secret generic video-transcoder --from-literal=redis-password=\"$(openssl "
            + "rand -hex 24)\" --from-literal=bootstrap-admin-key=\"$(java -jar target/video-transcoder.jar keys "
            + "generate)\" --from-literal=s3-access-key-id=\"$KEY_ID\" --from-literal=s3-secret-access-key=\"$SECRET_KEY\"",
            "needs a cluster",
            "kubectl apply -k deploy/kubernetes/overlays/s3", "needs a cluster",
            "curl -I localhost:8080/jobs/91b5b636-23ba-4dbe-9da0-be31553b7e30/output",
            "needs an S3 store: ObjectStorageIT answers the same request against S3Proxy",
            "curl -H 'Content-Type: application/json' -d '{\"url\":\"https://example.com/video-hooks\",\"events\":"
            + "[\"job.succeeded\",\"job.failed\"]}' localhost:8080/admin/webhooks",
            "its host must resolve, and nothing does here: WebhooksIT registers endpoints on loopback, allow-listed");
    /** A map of each command to its reason, given one after the other (more than Map.of takes). */
    private static Map<String, String> pairs(String... commandsAndReasons) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < commandsAndReasons.length; i += 2) {
            map.put(commandsAndReasons[i], commandsAndReasons[i + 1]);
        }
        return Map.copyOf(map);
    }

    /** The bench's lines: minutes of load on a quiet machine, run by hand for the Performance figures. */
    private static final String BENCH_SECTION = "## Performance";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern API_KEY = Pattern.compile("vt_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}");
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    /** A command, and the answer the README shows for it (empty when it shows none). */
    record Command(String text, List<String> expected) {
    }

    static List<Command> commands(List<String> readme) {
        List<Command> commands = new ArrayList<>();
        boolean inBlock = false;
        boolean bash = false;
        boolean bench = false;
        boolean hasCommand = false; // a block without any `$ ` line is a sample (a log), not an answer
        StringBuilder pending = new StringBuilder();
        for (String line : readme) {
            if (line.startsWith("## ")) {
                bench = line.equals(BENCH_SECTION);
            }
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                bash = inBlock && line.equals("```bash");
                hasCommand = false;
                continue;
            }
            if (!inBlock || bench) {
                continue;
            }
            if (bash) {
                pending.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line);
                if (!line.endsWith("\\") && !pending.toString().isBlank()) {
                    commands.add(new Command(pending.toString().strip(), new ArrayList<>()));
                }
                if (!line.endsWith("\\")) {
                    pending.setLength(0);
                }
            } else if (line.startsWith("$ ")) {
                commands.add(new Command(line.substring(2).strip(), new ArrayList<>()));
                hasCommand = true;
            } else if (hasCommand && !line.isBlank()) {
                commands.get(commands.size() - 1).expected().add(line);
            }
        }
        return commands;
    }

    @Test
    void every_command_of_the_readme_runs_as_written() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("curl"), "curl is not installed here: skipped (CI installs it)");
        List<Command> commands = commands(Files.readAllLines(Path.of("README.md")));
        assertTrue(commands.size() >= 20, "commands found: " + commands);
        int port = TestApp.freePort();
        int management = TestApp.freePort();
        Path home = Files.createDirectories(folder.resolve("app"));
        // The README's commands run beside the jar as `mvn package` leaves it: target/video-transcoder.jar.
        Files.createSymbolicLink(Files.createDirectories(home.resolve("target")).resolve("video-transcoder.jar"),
                Path.of("target", "video-transcoder.jar").toAbsolutePath());
        try (JarProcess jar = JarProcess.start(home, folder.resolve("app.log"), port,
                Map.of("MANAGEMENT_PORT", Integer.toString(management)));
             Shell shell = new Shell(home)) {
            Map<String, String> ids = new HashMap<>();
            String lastId = null;
            for (Command command : commands) {
                if (NOT_RUN_HERE.containsKey(command.text())) {
                    continue;
                }
                String text = command.text().replace("localhost:8080", "localhost:" + port)
                        .replace("localhost:9876", "localhost:" + management);
                for (Map.Entry<String, String> id : ids.entrySet()) {
                    text = text.replace(id.getKey(), id.getValue());
                }
                text = lastId == null ? text : text.replace("<id>", lastId);
                List<String> expected = command.expected().stream().map(l -> replaceAll(l, ids)).toList();
                String run = text;
                AtomicReference<Shell.Result> result = new AtomicReference<>(shell.run(run));
                // A read may come before the job it shows has got there: asked again until then. Never a submission.
                if (problem(expected, result.get()) != null && !run.matches(".*(-F |-X |\\bcp |\\bmv |ID=).*")) {
                    try {
                        await().atMost(RETRY_FOR).pollInterval(Duration.ofMillis(100)).pollInSameThread()
                                .until(() -> problem(expected, result.updateAndGet(r -> shell.run(run))) == null);
                    } catch (ConditionTimeoutException e) {
                        // reported below with the last answer
                    }
                }
                String problem = problem(expected, result.get());
                if (problem != null) {
                    fail("README command `" + command.text() + "`: " + problem + "\nexpected:\n"
                         + String.join("\n", expected) + "\ngot:\n" + String.join("\n", result.get().output())
                         + "\n--- service log ---\n" + jar.logTail());
                }
                String shownId = firstId(command.expected());
                String realId = firstId(result.get().output());
                if (realId != null && (shownId == null || !ids.containsKey(shownId))) {
                    lastId = realId;
                    if (shownId != null) {
                        ids.put(shownId, realId);
                    }
                }
            }
        }
    }

    private static String problem(List<String> expected, Shell.Result result) {
        return result.status() != 0 ? "exit status " + result.status() : mismatch(expected, result.output());
    }

    private static String replaceAll(String line, Map<String, String> ids) {
        for (Map.Entry<String, String> id : ids.entrySet()) {
            line = line.replace(id.getKey(), id.getValue());
        }
        return line;
    }

    private static String firstId(List<String> lines) {
        for (String line : lines) {
            Matcher m = UUID.matcher(line);
            if (m.find()) {
                return m.group();
            }
        }
        return null;
    }

    /** Each line the README shows must match a line of the real answer, in order; null when all do. */
    static String mismatch(List<String> expected, List<String> actual) {
        Iterator<String> real = actual.iterator();
        for (String shown : expected) {
            boolean found = false;
            while (!found && real.hasNext()) {
                found = sameShape(shown, real.next().strip());
            }
            if (!found) {
                return "no line like `" + shown + "`";
            }
        }
        return null;
    }

    static boolean sameShape(String shown, String real) {
        if (API_KEY.matcher(shown).matches()) {
            return API_KEY.matcher(real).matches(); // a new key each time, shown alone on its line
        }
        if (shown.startsWith("HTTP/")) {
            return shown.equals(real);
        }
        if (shown.startsWith("{") && shown.contains("...")) {
            return real.startsWith(shown.substring(0, shown.indexOf(",...")));
        }
        if (shown.startsWith("{")) {
            try {
                JsonNode a = JSON.readTree(shown);
                JsonNode b = JSON.readTree(real);
                List<String> shownFields = new ArrayList<>();
                List<String> realFields = new ArrayList<>();
                a.fieldNames().forEachRemaining(shownFields::add);
                b.fieldNames().forEachRemaining(realFields::add);
                return shownFields.equals(realFields) && a.path("status").equals(b.path("status"));
            } catch (IOException e) {
                return false;
            }
        }
        String first = shown.split("\\s+")[0];
        return real.split("\\s+")[0].equalsIgnoreCase(first);
    }

    /** One bash session, so that a variable a command sets ({@code ID=...}) is there for the next ones. */
    static final class Shell implements AutoCloseable {

        record Result(int status, List<String> output) {
        }

        private static final String END = "@@readme-command-end@@";
        private final Process process;
        private final Writer in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Shell(Path dir) throws IOException {
            process = new ProcessBuilder("bash", "--noprofile", "--norc").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            in = process.outputWriter(StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add(END + " 255 (" + e + ")");
                }
            }, "readme-shell");
            reader.setDaemon(true);
            reader.start();
        }

        Result run(String command) {
            try {
                return send(command);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        private Result send(String command) throws IOException, InterruptedException {
            // Its input is not the session's (FFmpeg reads its input, and would eat the commands that follow).
            in.write("{ " + command + "\n} < /dev/null\nprintf '\\n" + END + " %s\\n' \"$?\"\n");
            in.flush();
            List<String> output = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("`" + command + "` did not end within 120 s: " + output);
                }
                if (line.startsWith(END)) {
                    return new Result(Integer.parseInt(line.split(" ")[1]), output);
                }
                output.add(line);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
