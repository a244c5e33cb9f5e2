import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chaos soak: an API (with the embedded Redis) and several workers started from the jar, jobs submitted at a steady
 * pace while workers are killed (SIGKILL), stopped (SIGTERM) and frozen (SIGSTOP, up to twice the lease) at random,
 * and restarted. Prints how each accepted job ended. Only the JDK is needed:
 *
 *   mvn -q package -DskipTests && java bench/Soak.java [workers=3] [jobs=20] [chaos minutes=5]
 *
 * accepted    jobs the API answered 202 for
 * succeeded   ended succeeded, with an output that decodes from start to end and lasts as long as the input
 * failed      ended failed (their errors are listed)
 * lost        not ended (or gone) three minutes after the chaos stopped
 * duplicated  ended more than once (two terminal status changes published on transcoder:events)
 * wrong       ended succeeded with an output that does not decode or is too short
 */
public class Soak {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final Pattern ERROR = Pattern.compile("\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern REDIS = Pattern.compile("started on redis://[0-9.]+:[0-9]+ \\(data in ([^)]+)\\)");
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final int CLIP_SECONDS = 12;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Random RANDOM = new Random();
    private static final Map<String, Integer> ENDS = new ConcurrentHashMap<>();

    private static Path root;
    private static Path jar;
    private static Path ffmpeg;
    private static String redisUrl;

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Duration chaos = Duration.ofMinutes(args.length > 2 ? Long.parseLong(args[2]) : 5);
        jar = Path.of(System.getProperty("jar", "target/video-transcoder.jar")).toAbsolutePath();
        ffmpeg = Path.of(System.getProperty("ffmpeg", System.getProperty("user.home")
                + "/.cache/video-transcoder/ffmpeg-6.1.1-1.5.10/ffmpeg"));
        root = Files.createTempDirectory("soak");
        log("working in " + root);
        Path clip = root.resolve("clip.mp4");
        run(ffmpeg.toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + CLIP_SECONDS + ":size=1280x720:rate=25", "-f", "lavfi", "-i",
                "sine=duration=" + CLIP_SECONDS, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
                clip.toString());

        Process api = start("api", Map.of("TRANSCODER_ROLE", "api", "HTTP_PORT", "18480"));
        String base = "http://127.0.0.1:18480";
        List<Process> members = new ArrayList<>();
        try {
            awaitRedisAndApi(base);
            Thread events = new Thread(Soak::listen, "events");
            events.setDaemon(true);
            events.start();
            for (int i = 1; i <= workers; i++) {
                members.add(startWorker(i));
            }
            List<String> accepted = new ArrayList<>();
            long chaosEnd = System.nanoTime() + chaos.toNanos();
            long nextJob = 0;
            long nextBlow = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Map<Integer, Long> frozenUntil = new ConcurrentHashMap<>();
            int[] blows = new int[3];
            while (System.nanoTime() < chaosEnd && (accepted.size() < jobs || !allEnded(base, accepted))) {
                long now = System.nanoTime();
                if (accepted.size() < jobs && now >= nextJob) {
                    submit(base, clip).ifPresent(accepted::add);
                    nextJob = now + TimeUnit.SECONDS.toNanos(3);
                }
                for (var frozen : frozenUntil.entrySet()) {
                    if (now >= frozen.getValue()) {
                        signal("CONT", members.get(frozen.getKey()));
                        frozenUntil.remove(frozen.getKey());
                        log("w" + (frozen.getKey() + 1) + " resumed");
                    }
                }
                if (now >= nextBlow) {
                    int i = RANDOM.nextInt(workers);
                    if (!frozenUntil.containsKey(i)) {
                        int blow = RANDOM.nextInt(3);
                        blows[blow]++;
                        Process p = members.get(i);
                        switch (blow) {
                            case 0 -> {
                                log("w" + (i + 1) + " SIGKILL");
                                p.destroyForcibly().waitFor();
                                members.set(i, startWorker(i + 1));
                            }
                            case 1 -> {
                                log("w" + (i + 1) + " SIGTERM");
                                p.destroy();
                                p.waitFor();
                                members.set(i, startWorker(i + 1));
                            }
                            default -> {
                                long millis = 2000 + RANDOM.nextLong(LEASE.toMillis() * 2);
                                log("w" + (i + 1) + " SIGSTOP for " + millis + " ms");
                                signal("STOP", p);
                                frozenUntil.put(i, now + TimeUnit.MILLISECONDS.toNanos(millis));
                            }
                        }
                    }
                    nextBlow = now + TimeUnit.MILLISECONDS.toNanos(4000 + RANDOM.nextInt(6000));
                }
                Thread.sleep(200);
            }
            for (int i : frozenUntil.keySet()) {
                signal("CONT", members.get(i));
            }
            log("chaos over (" + blows[0] + " SIGKILL, " + blows[1] + " SIGTERM, " + blows[2] + " SIGSTOP);"
                + " waiting for the jobs to end");
            long settle = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < settle && !allEnded(base, accepted)) {
                Thread.sleep(1000);
            }
            Thread.sleep(3000); // late terminal events, if any, are what "duplicated" counts
            report(base, accepted);
        } finally {
            for (Process p : members) {
                signal("CONT", p);
                p.destroyForcibly();
            }
            api.destroy();
            api.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void report(String base, List<String> accepted) throws Exception {
        int succeeded = 0;
        int failed = 0;
        int lost = 0;
        int duplicated = 0;
        int wrong = 0;
        List<String> notes = new ArrayList<>();
        for (String id : accepted) {
            HttpResponse<String> answer = get(base + "/jobs/" + id);
            String status = answer.statusCode() == 200 ? find(STATUS, answer.body()) : "gone";
            if (ENDS.getOrDefault(id, 0) > 1) {
                duplicated++;
                notes.add(id + " ended " + ENDS.get(id) + " times");
            }
            switch (status) {
                case "succeeded" -> {
                    String problem = checkOutput(root.resolve("videos").resolve(id).resolve("output.mp4"));
                    if (problem == null) {
                        succeeded++;
                    } else {
                        wrong++;
                        notes.add(id + " wrong output: " + problem);
                    }
                }
                case "failed" -> {
                    failed++;
                    notes.add(id + " failed: " + find(ERROR, answer.body()));
                }
                default -> {
                    lost++;
                    notes.add(id + " lost: " + status);
                }
            }
        }
        System.out.println();
        System.out.printf("| accepted | succeeded | failed | lost | duplicated | wrong |%n");
        System.out.printf("|---|---|---|---|---|---|%n");
        System.out.printf("| %d | %d | %d | %d | %d | %d |%n", accepted.size(), succeeded, failed, lost, duplicated,
                wrong);
        notes.forEach(note -> System.out.println("  " + note));
        System.out.println("logs: " + root);
    }

    /** Null when the output decodes from start to end and lasts as long as the input; else what is wrong. */
    private static String checkOutput(Path output) throws Exception {
        if (!Files.isRegularFile(output)) {
            return "no output.mp4";
        }
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-i", output.toString(), "-f", "null", "-")
                .redirectErrorStream(true).start();
        String errors = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || !errors.isEmpty()) {
            return "does not decode: " + errors.lines().findFirst().orElse("exit " + p.exitValue());
        }
        Process probe = new ProcessBuilder(ffmpeg.resolveSibling("ffprobe").toString(), "-v", "error",
                "-show_entries", "format=duration", "-of", "csv=p=0", output.toString()).start();
        double seconds = Double.parseDouble(new String(probe.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip());
        return Math.abs(seconds - CLIP_SECONDS) > 0.5 ? "lasts " + seconds + " s" : null;
    }

    private static boolean allEnded(String base, List<String> ids) throws Exception {
        for (String id : ids) {
            HttpResponse<String> answer = get(base + "/jobs/" + id);
            String status = answer.statusCode() == 200 ? find(STATUS, answer.body()) : "";
            if (!status.equals("succeeded") && !status.equals("failed")) {
                return false;
            }
        }
        return true;
    }

    private static java.util.Optional<String> submit(String base, Path clip) throws Exception {
        String boundary = UUID.randomUUID().toString();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.mp4\"\r\n"
                       + "Content-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(clip), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        HttpResponse<String> answer = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            log("submission answered " + answer.statusCode() + ": " + answer.body());
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(find(ID, answer.body()));
    }

    /** Counts the terminal status changes of every job, as published by the service's scripts. */
    private static void listen() {
        URI redis = URI.create(redisUrl);
        try (Socket socket = new Socket(redis.getHost(), redis.getPort())) {
            OutputStream out = socket.getOutputStream();
            String password = redis.getUserInfo().substring(redis.getUserInfo().indexOf(':') + 1);
            String commands = "AUTH " + password + "\r\nSUBSCRIBE transcoder:events\r\n";
            out.write(commands.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                // Each message is a RESP array: kind, channel, payload; the payload is "<id> <status>".
                if (line.endsWith(" succeeded") || line.endsWith(" failed") || line.endsWith(" cancelled")) {
                    ENDS.merge(line.substring(0, line.indexOf(' ')), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            log("event listener stopped: " + e.getMessage());
        }
    }

    private static void awaitRedisAndApi(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Matcher m = REDIS.matcher(Files.readString(root.resolve("api.log")));
            if (m.find()) {
                redisUrl = redisAddress(root.resolve("api").resolve(m.group(1)));
                try {
                    if (get(base + "/jobs").statusCode() == 200) {
                        log("API up, Redis in " + m.group(1));
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the API did not start; see " + root.resolve("api.log"));
    }

    private static Process startWorker(int n) throws IOException {
        return start("w" + n, Map.of("TRANSCODER_ROLE", "worker", "REDIS_URL", redisUrl,
                "TRANSCODER_WORKER_NAME", "w" + n, "HTTP_PORT", Integer.toString(18480 + 2 * n)));
    }

    private static Process start(String name, Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .directory(Files.createDirectories(root.resolve(name)).toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(name + ".log").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("TRANSCODER_") || k.equals("REDIS_URL"));
        builder.environment().putAll(env);
        builder.environment().putAll(Map.of("MANAGEMENT_PORT", Integer.toString(Integer.parseInt(
                        builder.environment().get("HTTP_PORT")) + 1),
                "TRANSCODER_DATA_DIR", root.resolve("videos").toString(),
                "TRANSCODER_INBOX_DIR", root.resolve("inbox").toString(),
                "TRANSCODER_LEASE_MS", Long.toString(LEASE.toMillis()),
                // Every blow costs the job an attempt: the limit is not what this soak measures.
                "TRANSCODER_MAX_ATTEMPTS", "50", "TRANSCODER_RETRY_BACKOFF_MS", "1000",
                "TRANSCODER_HOUSEKEEPING_SECONDS", "30"));
        return builder.start();
    }

    private static void signal(String signal, Process process) throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void log(String line) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
    }

    /** The embedded Redis's address, its password included, as the server wrote it in its folder. */
    private static String redisAddress(Path folder) throws IOException {
        return Files.readString(folder.resolve("redis.url")).strip();
    }
}
