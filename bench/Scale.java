import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Off one machine, on one machine: the service with its jobs' files in object storage (S3Proxy on loopback, a child
 * JVM), each role a process with a folder of its own. Only the JDK is needed, after
 *
 *   mvn -q package -DskipTests && mvn -q dependency:build-classpath -Dmdep.outputFile=target/test.classpath \
 *       -Dmdep.includeScope=test
 *
 *   java bench/Scale.java rehearsal [workers=4] [jobs=40]
 *       One Redis (the API's embedded one), S3Proxy, one API and that many workers, each with its own scratch folder;
 *       a burst of jobs, and kill -9 of the worker running a job once a quarter of them have succeeded. Prints how
 *       each job ended (exactly once, by the terminal status changes on transcoder:events), the queue metric at the
 *       end, and the throughput.
 *   java bench/Scale.java storage [uploads] [pinned]
 *       Side by side: a 1 GiB upload to the local data root, to S3Proxy and to an S3Proxy that discards the bytes (MB/s,
 *       the API's peak RSS, the CPU time of the API and of the store), by an API with the Docker image's JVM flags;
 *       then (unless "uploads") a job's time from submission to succeeded with an API and a worker on the local data
 *       root and another pair on S3Proxy, up at once and sent jobs in turn. With "pinned", the stores run on core 1
 *       only and the uploading client and API on core 0 (taskset), for every storage alike: the store is then a
 *       machine of its own, as it is beside a real deployment, instead of taking its CPU from the API's.
 *   java bench/Scale.java split [seconds=120] [segment=15] [pinned]
 *       One long 720p input (testsrc and a sine), on the local data root: one worker encoding it whole, against the
 *       same input split into segments across two worker processes. Prints each time, their ratio, the split's and
 *       the join's cost (read from the job's view, polled every 100 ms) and the time per segment. With "pinned",
 *       worker i and everything it starts run on core i only (taskset), the whole run's one worker on core 0: each
 *       worker is then a one-core machine of its own, which is what "k workers" means on a cluster.
 */
public class Scale {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final Pattern WORKER = Pattern.compile("\"worker\":\"([^\"]+)\"");
    private static final Pattern ATTEMPTS = Pattern.compile("\"attempts\":(\\d+)");
    private static final Pattern REDIS = Pattern.compile("started on redis://[0-9.]+:[0-9]+ \\(data in ([^)]+)\\)");
    private static final Pattern OUTPUT = Pattern.compile("\"size\":(\\d+),\"contentType\":\"[^\"]+\",\"url\":\"([^\"]+)\"");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Map<String, Integer> ENDS = new ConcurrentHashMap<>();
    private static final int API_PORT = 18580;
    private static final int S3_PORT = 18590;
    /** Jobs timed on each storage in the storage bench. */
    private static final int JOBS = 10;
    /** Uploads to each storage in the storage bench, in turn. */
    private static final int UPLOAD_ROUNDS = 2;

    private static Path root;
    private static Path jar;
    private static Path ffmpeg;
    private static final List<Process> STARTED = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        jar = Path.of("target/video-transcoder.jar").toAbsolutePath();
        ffmpeg = Path.of(System.getProperty("user.home"), ".cache/video-transcoder/ffmpeg-6.1.1-1.5.10/ffmpeg");
        root = Files.createTempDirectory("scale");
        log("working in " + root);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
        try {
            switch (args.length > 0 ? args[0] : "rehearsal") {
                case "rehearsal" -> rehearsal(args.length > 1 ? Integer.parseInt(args[1]) : 4,
                        args.length > 2 ? Integer.parseInt(args[2]) : 40);
                case "storage" -> storage(!List.of(args).contains("uploads"), List.of(args).contains("pinned"));
                case "split" -> split(args.length > 1 ? Integer.parseInt(args[1]) : 120,
                        args.length > 2 ? Integer.parseInt(args[2]) : 15, args.length > 3 && args[3].equals("pinned"));
                default -> throw new IllegalArgumentException("rehearsal, storage or split, not " + args[0]);
            }
        } finally {
            for (Process p : STARTED) {
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    // ---- the rehearsal ----

    private static void rehearsal(int workers, int jobs) throws Exception {
        Map<String, String> store = s3Proxy();
        Path clip = clip(4, "640x360");
        Map<String, String> api = new HashMap<>(store);
        api.put("TRANSCODER_ROLE", "api");
        start("api", API_PORT, api);
        String redisUrl = awaitRedis();
        String base = "http://127.0.0.1:" + API_PORT;
        awaitHttp(base + "/jobs");
        Thread events = new Thread(() -> listen(redisUrl), "events");
        events.setDaemon(true);
        events.start();
        Map<String, Process> members = new TreeMap<>();
        for (int i = 1; i <= workers; i++) {
            Map<String, String> env = new HashMap<>(store);
            env.putAll(Map.of("TRANSCODER_ROLE", "worker", "REDIS_URL", redisUrl, "TRANSCODER_WORKER_NAME", "w" + i));
            members.put("w" + i, start("w" + i, API_PORT + 2 * i, env));
        }
        for (int i = 1; i <= workers; i++) {
            awaitHttp("http://127.0.0.1:" + (API_PORT + 2 * i + 1) + "/observe/health/ready");
        }
        log(workers + " workers ready; submitting " + jobs + " jobs");
        long burst = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(find(ID, submit(base, clip)));
        }
        log("burst submitted in " + millis(burst) + " ms");
        String killed = null;
        while (!allEnded(base, ids)) {
            if (killed == null && count(base, ids, "succeeded") >= jobs / 4) {
                String running = get(base + "/jobs?status=running&limit=1").body();
                String worker = find(WORKER, running);
                if (members.containsKey(worker)) {
                    killed = find(ID, running);
                    log("kill -9 " + worker + " while it runs job " + killed);
                    members.get(worker).destroyForcibly().waitFor();
                }
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - burst) / 1e9;
        Thread.sleep(3000); // late terminal events, if any, are what "duplicated" counts
        report(base, ids, killed, seconds, workers);
    }

    private static void report(String base, List<String> ids, String killed, double seconds, int workers)
            throws Exception {
        int succeeded = 0;
        int failed = 0;
        int wrong = 0;
        List<Double> latencies = new ArrayList<>();
        Map<String, Integer> byWorker = new TreeMap<>();
        for (String id : ids) {
            String job = get(base + "/jobs/" + id).body();
            if (!find(STATUS, job).equals("succeeded")) {
                failed++;
                log(id + " " + find(STATUS, job) + ": " + job);
                continue;
            }
            succeeded++;
            byWorker.merge(find(WORKER, job), 1, Integer::sum);
            latencies.add(Duration.between(instant(job, "createdAt"), instant(job, "finishedAt")).toMillis() / 1000.0);
            Matcher output = OUTPUT.matcher(job);
            if (!output.find() || !whole(base + output.group(2), Long.parseLong(output.group(1)))) {
                wrong++;
                log(id + " has an output that is not whole or does not decode");
            }
        }
        long duplicated = ENDS.values().stream().filter(n -> n > 1).count();
        String metrics = awaitQueueEmpty();
        latencies.sort(null);
        System.out.println();
        System.out.printf("| workers | jobs | succeeded | failed | duplicated | wrong | wall | jobs/min | job p50 | job p90 |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
        System.out.printf("| %d | %d | %d | %d | %d | %d | %.1f s | %.1f | %.1f s | %.1f s |%n", workers, ids.size(),
                succeeded, failed, duplicated, wrong, seconds, ids.size() / seconds * 60,
                latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 9 / 10));
        System.out.println("jobs per worker: " + byWorker);
        if (killed != null) {
            String job = get(base + "/jobs/" + killed).body();
            System.out.println("the killed worker's job " + killed + ": " + find(STATUS, job) + " on "
                               + find(WORKER, job) + " after " + find(ATTEMPTS, job) + " attempts");
        }
        System.out.println("queue at the end: " + metrics);
        System.out.println("logs: " + root);
    }

    /** The output answers whole through the API, with the size the job lists, and decodes. */
    private static boolean whole(String url, long size) throws Exception {
        Path file = root.resolve("check.mp4");
        HttpResponse<Path> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofFile(file));
        boolean decodes = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-xerror", "-i", file.toString(), "-f",
                "null", "-").redirectErrorStream(true).start().waitFor() == 0;
        return answer.statusCode() == 200 && Files.size(file) == size && decodes;
    }

    /** Waits (up to a minute) until the API's queue metrics read zero; answers what they read. */
    private static String awaitQueueEmpty() throws Exception {
        String metrics = "";
        for (int i = 0; i < 60; i++) {
            metrics = get("http://127.0.0.1:" + (API_PORT + 1) + "/observe/metrics").body().lines()
                    .filter(l -> l.startsWith("transcoder_queue_")).map(l -> l.replaceAll("\\{[^}]*}", ""))
                    .reduce((a, b) -> a + ", " + b).orElse("");
            if (metrics.matches("(transcoder_queue_\\w+ 0\\.0(, )?)+")) {
                return metrics;
            }
            Thread.sleep(1000);
        }
        return metrics + " (not zero after a minute)";
    }

    // ---- the storage bench ----

    /**
     * 1 GiB uploads, in turn, {@value #UPLOAD_ROUNDS} times: to the local data root, into S3Proxy, and into a second
     * S3Proxy that discards what it receives (its null backend: what is left is its HTTP and signature work), each by a
     * fresh API with the image's JVM flags; then the job times. Each upload also reports the CPU seconds the API and
     * the store spent on it, since they share the machine's cores.
     */
    private static void storage(boolean jobs, boolean pinned) throws Exception {
        Path big = root.resolve("big.mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        Map<String, String> store = s3Proxy();
        Process fileStore = lastStarted();
        Map<String, String> discarding = s3Proxy("s3-null", S3_PORT + 1, "-Ds3proxy.null-blobstore=true");
        Process nullStore = lastStarted();
        if (pinned) {
            pin(fileStore, 1);
            pin(nullStore, 1);
            pin(ProcessHandle.current().pid(), 0); // the client that uploads
        }
        List<String> names = List.of("local data root", "S3Proxy", "S3Proxy, null backend");
        List<Map<String, String>> stores = List.of(Map.of(), store, discarding);
        List<Process> storeProcesses = Arrays.asList(null, fileStore, nullStore);
        Map<String, List<String>> uploads = new TreeMap<>();
        for (int round = 0; round < UPLOAD_ROUNDS; round++) {
            for (int i = 0; i < names.size(); i++) {
                String upload = upload(big, stores.get(i), storeProcesses.get(i), pinned);
                log(names.get(i) + " upload: " + upload);
                uploads.computeIfAbsent(i + names.get(i), k -> new ArrayList<>()).add(upload);
            }
        }
        Files.delete(big);
        System.out.println();
        System.out.println("| upload 1 GiB, API flags `" + imageJavaOptions() + "` | MB/s, API peak RSS, CPU s of API"
                           + " / store, load |");
        System.out.println("|---|---|");
        uploads.forEach((name, runs) -> System.out.println("| " + name.substring(1) + " | " + String.join("; ", runs)
                                                           + " |"));
        if (jobs) {
            System.out.println();
            System.out.println("| measure | local data root | S3Proxy |");
            System.out.println("|---|---|---|");
            System.out.print(jobTimes(store, clip(10, "1280x720")));
        }
    }

    /**
     * One upload of {@code file} by a fresh API on {@code store} (none: the local data root).
     *
     * @param pinned whether the API runs on core 0, beside the uploading client (the stores are on core 1)
     */
    private static String upload(Path file, Map<String, String> store, Process storeProcess, boolean pinned)
            throws Exception {
        Map<String, String> env = new HashMap<>(store);
        env.put("TRANSCODER_ROLE", "api");
        env.put("JDK_JAVA_OPTIONS", imageJavaOptions());
        Process api = start(store.isEmpty() ? "upload-local" : "upload-s3", API_PORT, env);
        if (pinned) {
            pin(api, 0); // before it starts its threads and its embedded Redis, which inherit the core
        }
        awaitHttp("http://127.0.0.1:" + API_PORT + "/jobs");
        double storeCpu = storeProcess == null ? 0 : cpuSeconds(storeProcess);
        double apiCpu = cpuSeconds(api);
        long start = System.nanoTime();
        submit("http://127.0.0.1:" + API_PORT, file);
        double seconds = (System.nanoTime() - start) / 1e9;
        String result = String.format("%.0f MB/s, %s, %.1f / %.1f s, load %s", Files.size(file) / 1e6 / seconds,
                peakRss(api), cpuSeconds(api) - apiCpu, storeProcess == null ? 0 : cpuSeconds(storeProcess) - storeCpu,
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        stop(api);
        return result;
    }

    /** The JVM flags the Docker image runs the service with (its JDK_JAVA_OPTIONS). */
    private static String imageJavaOptions() throws IOException {
        Matcher m = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(Path.of("Dockerfile")));
        if (!m.find()) {
            throw new IllegalStateException("no JDK_JAVA_OPTIONS in the Dockerfile");
        }
        return m.group(1);
    }

    /** User and system CPU time of a process so far. */
    private static double cpuSeconds(Process process) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in clock ticks
    }

    private static Process lastStarted() {
        return STARTED.get(STARTED.size() - 1);
    }

    /**
     * An API and a worker on each storage, both stacks up at once, and jobs sent to them in turn (local, store, local,
     * ...), so that the machine's drift hits both: after a warm-up job each, {@value #JOBS} each. Each job's time from
     * submission to its end seen is split by the job's own timestamps: the submission (answered once the input is
     * stored), the wait in the queue, the worker's run (input fetched, encoded, outputs stored) and the end seen.
     */
    private static String jobTimes(Map<String, String> store, Path clip) throws Exception {
        String local = stack(Map.of(), "local", API_PORT + 20);
        String s3 = stack(store, "s3", API_PORT + 30);
        Map<String, List<double[]>> times = new TreeMap<>();
        for (int i = 0; i <= JOBS; i++) {
            for (String base : List.of(local, s3)) {
                double[] split = timedJob(base, clip);
                if (i > 0) {
                    times.computeIfAbsent(base.equals(local) ? "local" : "s3", k -> new ArrayList<>()).add(split);
                }
            }
        }
        StringBuilder table = new StringBuilder();
        String[] names = {"submitted to succeeded", "submission answered", "queued to started", "started to finished",
                "finished to seen"};
        for (int column = 0; column < names.length; column++) {
            table.append("| job, 10 s 720p: ").append(names[column]).append(" (median of ").append(JOBS)
                    .append(", min–max) | ").append(median(times.get("local"), column)).append(" | ")
                    .append(median(times.get("s3"), column)).append(" |\n");
        }
        log("job times (total, submit, queued, run, seen), local: " + describe(times.get("local")));
        log("job times (total, submit, queued, run, seen), s3: " + describe(times.get("s3")));
        return table.toString();
    }

    /** An API (with its embedded Redis) and a worker; answers the API's URL. */
    private static String stack(Map<String, String> store, String name, int port) throws Exception {
        Map<String, String> api = new HashMap<>(store);
        api.put("TRANSCODER_ROLE", "api");
        Map<String, String> shared = new HashMap<>();
        if (store.isEmpty()) { // the local data root is the one folder both roles share
            shared.put("TRANSCODER_DATA_DIR", root.resolve(name + "-shared").toString());
            api.putAll(shared);
        }
        start(name + "-api", port, api);
        String redisUrl = awaitRedis(name + "-api");
        String base = "http://127.0.0.1:" + port;
        awaitHttp(base + "/jobs");
        Map<String, String> env = new HashMap<>(store);
        env.putAll(shared);
        env.putAll(Map.of("TRANSCODER_ROLE", "worker", "REDIS_URL", redisUrl, "TRANSCODER_WORKER_NAME", "w1"));
        start(name + "-worker", port + 2, env);
        awaitHttp("http://127.0.0.1:" + (port + 3) + "/observe/health/ready");
        return base;
    }

    /** Seconds: submitted to seen succeeded, then the four parts of it. */
    private static double[] timedJob(String base, Path clip) throws Exception {
        Instant sent = Instant.now();
        long start = System.nanoTime();
        String id = find(ID, submit(base, clip));
        Instant answered = Instant.now();
        String job = "";
        while (!find(STATUS, job).matches("succeeded|failed|cancelled")) {
            job = get(base + "/jobs/" + id + "?wait=60").body();
        }
        double total = (System.nanoTime() - start) / 1e9;
        if (!job.contains("\"status\":\"succeeded\"")) {
            throw new IllegalStateException("job " + id + " did not succeed: " + job);
        }
        Instant started = instant(job, "startedAt");
        Instant finished = instant(job, "finishedAt");
        return new double[]{total, seconds(sent, answered), seconds(instant(job, "createdAt"), started),
                seconds(started, finished), total - seconds(sent, finished)};
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static String median(List<double[]> runs, int column) {
        List<Double> values = runs.stream().map(r -> r[column]).sorted().toList();
        return String.format("%.2f s (%.2f–%.2f)", values.get(values.size() / 2), values.get(0),
                values.get(values.size() - 1));
    }

    private static String describe(List<double[]> runs) {
        return runs.stream().map(r -> String.format("[%.2f %.2f %.2f %.2f %.2f]", r[0], r[1], r[2], r[3], r[4]))
                .toList().toString();
    }

    // ---- one long input on many workers ----

    private static final Pattern SEGMENTS = Pattern.compile("\"segments\":\\{\"done\":(\\d+),\"total\":(\\d+)}");

    private static void split(int seconds, int segment, boolean pinned) throws Exception {
        Path clip = clip(seconds, "1280x720");
        double[] whole = longJob("whole", clip, 1, pinned, Map.of("TRANSCODER_SPLIT_MIN_SECONDS", "0"));
        double[] split = longJob("split", clip, 2, pinned, Map.of("TRANSCODER_SPLIT_MIN_SECONDS", "60",
                "TRANSCODER_SEGMENT_SECONDS", Integer.toString(segment)));
        int segments = (int) split[3];
        System.out.println();
        System.out.printf("| %d s 1280x720 input, h264-720p | submitted to succeeded | split | segments | join |%n",
                seconds);
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| 1 worker%s, whole | %.1f s | | | |%n", pinned ? " (core 0)" : "", whole[0]);
        System.out.printf("| 2 worker processes%s, %d segments of %d s | %.1f s | %.1f s | %.1f s (%.1f s a segment"
                + " per worker) | %.1f s |%n", pinned ? " (a core each)" : "", segments, segment, split[0], split[1],
                split[0] - split[1] - split[2], (split[0] - split[1] - split[2]) / Math.ceil(segments / 2.0),
                split[2]);
        System.out.printf("%nratio split / whole: %.2f (the goal for k=2: at most %.2f, 1.25 x whole / 2)%n",
                split[0] / whole[0], 1.25 / 2);
    }

    /**
     * An API and {@code workers} worker processes on one data root; one job of {@code clip}. Answers the seconds from
     * submission to succeeded, to the parts queued (the split), from the last segment stored to succeeded (the join),
     * and the number of segments.
     */
    private static double[] longJob(String name, Path clip, int workers, boolean pinned, Map<String, String> settings)
            throws Exception {
        Map<String, String> shared = new HashMap<>(settings);
        shared.put("TRANSCODER_DATA_DIR", root.resolve(name + "-shared").toString());
        Map<String, String> api = new HashMap<>(shared);
        api.put("TRANSCODER_ROLE", "api");
        Process apiProcess = start(name + "-api", API_PORT, api);
        String redisUrl = awaitRedis(name + "-api");
        String base = "http://127.0.0.1:" + API_PORT;
        awaitHttp(base + "/jobs");
        List<Process> members = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            Map<String, String> env = new HashMap<>(shared);
            env.putAll(Map.of("TRANSCODER_ROLE", "worker", "REDIS_URL", redisUrl, "TRANSCODER_WORKER_NAME", "w" + i));
            members.add(start(name + "-w" + i, API_PORT + 2 * i, env));
            if (pinned) {
                pin(members.get(i - 1), i - 1);
            }
        }
        for (int i = 1; i <= workers; i++) {
            awaitHttp("http://127.0.0.1:" + (API_PORT + 2 * i + 1) + "/observe/health/ready");
        }
        long start = System.nanoTime();
        String id = find(ID, submit(base, clip));
        double split = 0;
        double allStored = 0;
        int total = 0;
        String job = "";
        while (!find(STATUS, job).matches("succeeded|failed|cancelled")) {
            Thread.sleep(100);
            job = get(base + "/jobs/" + id).body();
            Matcher m = SEGMENTS.matcher(job);
            double now = (System.nanoTime() - start) / 1e9;
            if (m.find()) {
                total = Integer.parseInt(m.group(2));
                split = split == 0 ? now : split;
                allStored = allStored == 0 && m.group(1).equals(m.group(2)) ? now : allStored;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log(name + ": " + find(STATUS, job) + " in " + String.format("%.1f s", seconds) + ": " + job);
        for (Process member : members) {
            stop(member);
        }
        stop(apiProcess);
        return new double[] {seconds, split, total == 0 ? 0 : seconds - allStored, total};
    }

    // ---- processes ----

    /** S3Proxy in a child JVM (the test class path); answers the settings that point the service at it. */
    private static Map<String, String> s3Proxy() throws Exception {
        return s3Proxy("s3", S3_PORT);
    }

    /** S3Proxy in a child JVM named {@code name}, with {@code flags} (S3Proxy's settings as system properties). */
    private static Map<String, String> s3Proxy(String name, int port, String... flags) throws Exception {
        String classPath = "target/test-classes:" + Files.readString(Path.of("target/test.classpath")).strip();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", classPath, "io.videotranscoder.support.S3Server", root.resolve(name).toString(),
                Integer.toString(port)));
        Process proxy = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(root.resolve(name + ".log").toFile()).start();
        STARTED.add(proxy);
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < 120 && env.isEmpty(); i++) {
            Thread.sleep(500);
            String log = Files.readString(root.resolve(name + ".log"));
            if (log.contains("S3Proxy ready")) {
                log.lines().filter(l -> l.matches("[A-Z_0-9]+=.*")).forEach(l -> env.put(l.substring(0, l.indexOf('=')),
                        l.substring(l.indexOf('=') + 1)));
            }
        }
        if (env.isEmpty()) {
            throw new IllegalStateException("S3Proxy did not start; see " + root.resolve(name + ".log"));
        }
        env.put("TRANSCODER_STORAGE", env.get("TRANSCODER_STORAGE") + "jobs");
        log("S3Proxy at " + env.get("AWS_ENDPOINT_URL"));
        return env;
    }

    /** The jar as an operator runs it, in a folder of its own (its data root, its scratch folder). */
    private static Process start(String name, int httpPort, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .directory(Files.createDirectories(root.resolve(name)).toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(name + ".log").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("TRANSCODER_") || k.equals("REDIS_URL")
                                                     || k.startsWith("AWS_"));
        builder.environment().putAll(Map.of("HTTP_PORT", Integer.toString(httpPort),
                "MANAGEMENT_PORT", Integer.toString(httpPort + 1), "TRANSCODER_LEASE_MS", "8000",
                "TRANSCODER_CLAIM_INTERVAL_MS", "1000"));
        builder.environment().putAll(env);
        Process process = builder.start();
        STARTED.add(process);
        return process;
    }

    /** Every thread of {@code process} (and so every process it starts later) on core {@code cpu} only. */
    private static void pin(Process process, int cpu) throws Exception {
        pin(process.pid(), cpu);
    }

    private static void pin(long pid, int cpu) throws Exception {
        int exit = new ProcessBuilder("taskset", "-a", "-c", "-p", Integer.toString(cpu), Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("taskset could not pin process " + pid);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        STARTED.remove(process);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String awaitRedis() throws Exception {
        return awaitRedis("api");
    }

    private static String awaitRedis(String name) throws Exception {
        for (int i = 0; i < 360; i++) {
            Path log = root.resolve(name + ".log");
            Matcher m = REDIS.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return redisAddress(root.resolve(name).resolve(m.group(1)));
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no Redis in " + name + ".log");
    }

    private static void awaitHttp(String url) throws Exception {
        for (int i = 0; i < 360; i++) {
            try {
                if (get(url).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " did not answer; logs in " + root);
    }

    private static String peakRss(Process process) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).map(l -> l.replaceAll("\\D", "")).findFirst()
                .map(kb -> Long.parseLong(kb) / 1024 + " MiB").orElse("?");
    }

    // ---- HTTP, Redis, clips ----

    private static String submit(String base, Path file) throws Exception {
        String boundary = UUID.randomUUID().toString();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                        + " filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n", StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("submission answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    private static boolean allEnded(String base, List<String> ids) throws Exception {
        return count(base, ids, "succeeded|failed|cancelled") == ids.size();
    }

    private static int count(String base, List<String> ids, String statuses) throws Exception {
        int n = 0;
        for (String id : ids) {
            if (find(STATUS, get(base + "/jobs/" + id).body()).matches(statuses)) {
                n++;
            }
        }
        return n;
    }

    /** Counts the terminal status changes of every job, as the service's scripts publish them. */
    private static void listen(String redisUrl) {
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
                if (line.endsWith(" succeeded") || line.endsWith(" failed") || line.endsWith(" cancelled")) {
                    ENDS.merge(line.substring(0, line.indexOf(' ')), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            log("event listener stopped: " + e.getMessage());
        }
    }

    private static Path clip(int seconds, String size) throws Exception {
        Path clip = root.resolve("clip-" + seconds + "-" + size + ".mp4");
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + seconds + ":size=" + size + ":rate=25", "-f", "lavfi", "-i",
                "sine=duration=" + seconds, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
                clip.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("no clip");
        }
        return clip;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(70)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Instant instant(String job, String field) {
        return Instant.parse(find(Pattern.compile("\"" + field + "\":\"([^\"]+)\""), job));
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static void log(String line) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
    }

    /** The embedded Redis's address, its password included, as the server wrote it in its folder. */
    private static String redisAddress(Path folder) throws IOException {
        return Files.readString(folder.resolve("redis.url")).strip();
    }
}
