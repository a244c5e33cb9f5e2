import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a running service and prints one table. Only the JDK is needed:
 *
 *   java -Dpid=PID bench/Bench.java [measures] [base URL]
 *
 * measures (comma-separated, default all but scale):
 *   overhead     20 one-second jobs one after another: end to end (submit to terminal state seen) minus the time the
 *                same FFmpeg command takes run directly
 *   throughput   24 ten-second 720p jobs submitted at once, against the same commands run directly by -Dparallel
 *                threads (as xargs -P would); the ratio of the wall times
 *   upload       one 1 GiB upload: MB/s, and the service's peak resident memory (-Dpid)
 *   tus          the same 1 GiB file as a multipart upload and through the resumable protocol (one PATCH, as
 *                tus-js-client sends it), alternately, twice each: MB/s of each, their ratio, the peak RSS
 *   submissions  16 clients posting a one-second clip for 10 s (run it against TRANSCODER_ROLE=api, or the workers
 *                will be busy long after)
 *   reads        16 clients reading one job for 10 s
 *   scale        records jobs until 10 000 exist (TRANSCODER_ROLE=api), then GET /jobs?limit=50 from one client, and
 *                Redis memory per job (read from the management port's metrics, -Dmanagement)
 *
 * The FFmpeg command the service runs is read from /proc while it runs, so -Dpid (the service's pid) is needed for
 * overhead and throughput. -Dffmpeg defaults to the FFmpeg the service unpacks into ~/.cache/video-transcoder.
 */
public class Bench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final int CLIENTS = 16;
    private static final long SECONDS = 10;
    private static final long WARMUP_SECONDS = Long.getLong("warmup", 10);
    private static final List<String[]> ROWS = new ArrayList<>();

    private static String base;
    private static long pid;
    private static Path work;
    private static Path ffmpeg;

    public static void main(String[] args) throws Exception {
        List<String> measures = List.of((args.length > 0 ? args[0] : "overhead,throughput,upload,submissions,reads")
                .split(","));
        base = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        pid = Long.parseLong(System.getProperty("pid", "0"));
        ffmpeg = Path.of(System.getProperty("ffmpeg", System.getProperty("user.home")
                + "/.cache/video-transcoder/ffmpeg-6.1.1-1.5.10/ffmpeg"));
        work = Files.createTempDirectory("bench");
        try {
            for (String measure : measures) {
                switch (measure) {
                    case "overhead" -> overhead();
                    case "throughput" -> throughput();
                    case "upload" -> upload();
                    case "tus" -> tus();
                    case "submissions" -> {
                        Path clip = clip(1, "640x360"); // made once, before the clients start
                        concurrent("submissions (16 clients)", "≥ 2000/s, p99 ≤ 30 ms", () -> submit(clip));
                    }
                    case "reads" -> {
                        String id = id(submit(clip(1, "640x360")));
                        concurrent("status reads (16 clients)", "≥ 10000/s, p99 ≤ 10 ms",
                                () -> get(base + "/jobs/" + id));
                    }
                    case "scale" -> scale();
                    default -> throw new IllegalArgumentException("unknown measure " + measure);
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.out.printf("%n%-28s %-44s %s%n", "measure", "figure", "target");
        for (String[] row : ROWS) {
            System.out.printf("%-28s %-44s %s%n", row[0], row[1], row[2]);
        }
    }

    private static void row(String measure, String figure, String target) {
        ROWS.add(new String[] {measure, figure, target});
        System.out.printf("%-28s %-44s %s%n", measure, figure, target);
    }

    // ---- overhead and throughput: the service against FFmpeg run directly ----

    private static void overhead() throws Exception {
        Path clip = clip(1, "640x360");
        List<String> command = null;
        List<Double> service = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<List<Double>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (int i = 0; i < 22; i++) { // service and direct runs alternate, so that the machine's drift hits both
            long start = System.nanoTime();
            String answer = submit(clip);
            double submit = (System.nanoTime() - start) / 1e6;
            String id = id(answer);
            if (i == 0) {
                command = captureCommand(id);
            }
            String job = awaitSucceeded(id);
            Instant done = Instant.now();
            double serviceMillis = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            run(direct(command, i));
            double directMillis = (System.nanoTime() - start) / 1e6;
            if (i >= 2) { // the first two warm up the JIT and the connection
                service.add(serviceMillis);
                direct.add(directMillis);
                Instant created = instant(job, "createdAt");
                Instant started = instant(job, "startedAt");
                Instant finished = instant(job, "finishedAt");
                phases.get(0).add(submit);
                phases.get(1).add(Duration.between(created, started).toNanos() / 1e6);
                phases.get(2).add(Duration.between(started, finished).toNanos() / 1e6);
                phases.get(3).add(Duration.between(finished, done).toNanos() / 1e6);
            }
        }
        double directMedian = quantile(direct, 0.5);
        List<Double> overheads = service.stream().map(t -> t - directMedian).toList();
        row("job end to end (1 s clip)", String.format("p50 %.0f ms, p90 %.0f ms", quantile(service, 0.5),
                quantile(service, 0.9)), "");
        row("  same FFmpeg run directly", String.format("p50 %.0f ms, p90 %.0f ms", directMedian,
                quantile(direct, 0.9)), "");
        row("  p50 of: submit answered", String.format("%.1f ms", quantile(phases.get(0), 0.5)), "");
        row("          queued to started", String.format("%.1f ms", quantile(phases.get(1), 0.5)), "");
        row("          started to finished", String.format("%.1f ms (probe, FFmpeg, verify, publish)",
                quantile(phases.get(2), 0.5)), "");
        row("          finished to seen", String.format("%.1f ms (GET /jobs/{id}?wait=60)",
                quantile(phases.get(3), 0.5)), "");
        row("overhead", String.format("p50 %.0f ms, p90 %.0f ms", quantile(overheads, 0.5),
                quantile(overheads, 0.9)), "≤ 30 ms / ≤ 60 ms");
    }

    private static void throughput() throws Exception {
        int jobs = Integer.getInteger("jobs", 24);
        int parallel = Integer.getInteger("parallel", 1);
        Path clip = clip(10, "1280x720");
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(id(submit(clip)));
        }
        List<String> command = captureCommand(ids.get(0));
        for (String id : ids) {
            awaitSucceeded(id);
        }
        double serviceSeconds = (System.nanoTime() - start) / 1e9;

        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            int n = i;
            runs.add(pool.submit(() -> run(direct(command, n))));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        double directSeconds = (System.nanoTime() - start) / 1e9;
        row(jobs + " x 10 s 720p jobs", String.format("service %.1f s, direct (-P %d) %.1f s", serviceSeconds, parallel,
                directSeconds), "");
        row("throughput wall ratio", String.format("%.3f", serviceSeconds / directSeconds), "≤ 1.02");
    }

    /** The FFmpeg command line the service runs for a job, read from /proc while it runs. */
    private static List<String> captureCommand(String id) throws Exception {
        if (pid == 0) {
            throw new IllegalStateException("-Dpid=<service pid> is needed to read the FFmpeg command");
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<List<String>> found = ProcessHandle.of(pid).orElseThrow().descendants()
                    .map(p -> p.info().commandLine().isPresent() ? p.info() : null)
                    .filter(info -> info != null && info.command().orElse("").endsWith("/ffmpeg"))
                    .map(info -> {
                        List<String> argv = new ArrayList<>(List.of(info.arguments().orElse(new String[0])));
                        argv.add(0, info.command().get());
                        return argv;
                    })
                    .filter(argv -> String.join(" ", argv).contains(id)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("no FFmpeg seen for job " + id);
    }

    /** The service's command with its own folders replaced by one of ours; the input stays the job's stored input. */
    private static List<String> direct(List<String> command, int n) throws IOException {
        Path out = Files.createDirectories(work.resolve("direct-" + n));
        List<String> argv = new ArrayList<>();
        for (String arg : command) { // the input (the job's stored file) is not in the attempt's work folder
            argv.add(arg.replaceAll("/\\S*/\\.work/[0-9a-f]+(?=/)", out.toString()));
        }
        argv.set(0, ffmpeg.toString());
        return argv;
    }

    private static Void run(List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("FFmpeg failed: " + argv);
            }
            return null;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks for the job until it has ended, each answer held by the service until the end (or a minute). */
    private static String awaitSucceeded(String id) throws Exception {
        String job;
        String status;
        do {
            job = get(base + "/jobs/" + id + "?wait=60");
            Matcher m = STATUS.matcher(job);
            status = m.find() ? m.group(1) : "?";
        } while (status.equals("queued") || status.equals("running"));
        if (!status.equals("succeeded")) {
            throw new IllegalStateException("job " + id + " ended " + status);
        }
        return job;
    }

    private static Instant instant(String job, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(job);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + job);
        }
        return Instant.parse(m.group(1));
    }

    // ---- upload, submissions, reads, scale ----

    private static void upload() throws Exception {
        Path big = work.resolve("big.mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        long start = System.nanoTime();
        String answer = submit(big);
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(big);
        if (!answer.contains("\"queued\"")) {
            throw new IllegalStateException("upload refused: " + answer);
        }
        row("upload 1 GiB", String.format("%.0f MB/s, service peak RSS %s", 1073.741824 / seconds, peakRss()),
                "≥ 400 MB/s, RSS ≤ 300 MB (-Xmx256m)");
    }

    private static void tus() throws Exception {
        Path big = work.resolve("big.mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        List<Double> multipart = new ArrayList<>();
        List<Double> resumable = new ArrayList<>();
        List<String> multipartRss = new ArrayList<>();
        List<String> resumableRss = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            resetPeakRss();
            multipart.add(megabytesPerSecond(() -> id(submit(big))));
            multipartRss.add(peakRss());
            resetPeakRss();
            resumable.add(megabytesPerSecond(() -> tusUpload(big)));
            resumableRss.add(peakRss());
        }
        Files.delete(big);
        double m = multipart.stream().mapToDouble(d -> d).average().orElseThrow();
        double t = resumable.stream().mapToDouble(d -> d).average().orElseThrow();
        row("upload 1 GiB, tus vs multipart", String.format("tus %.0f MB/s %s peak RSS %s; multipart %.0f MB/s %s "
                + "peak RSS %s: ratio %.2f", t, resumable, resumableRss, m, multipart, multipartRss, t / m),
                "ratio ≥ 0.9, RSS ≤ 300 MB");
    }

    /** Linux resets a process's peak resident size (VmHWM) when 5 is written to its clear_refs. */
    private static void resetPeakRss() throws IOException {
        if (pid != 0) {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
        }
    }

    /** Times an upload that answers its job's id, then removes the job (a file of zeros fails: not a video). */
    private static double megabytesPerSecond(Callable<String> upload) throws Exception {
        long start = System.nanoTime();
        String id = upload.call();
        double seconds = (System.nanoTime() - start) / 1e9;
        get(base + "/jobs/" + id + "?wait=60");
        CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        return Math.round(1073.741824 / seconds * 10) / 10.0;
    }

    /** Creates a tus upload and sends the whole file in one PATCH; answers the job it became. */
    private static String tusUpload(Path file) throws Exception {
        HttpResponse<String> created = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/uploads/"))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(Files.size(file)))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString("big.mp4".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String location = created.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("upload not created: " + created.body()));
        HttpResponse<String> patched = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/uploads/" + location))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        return patched.headers().firstValue("Job-Id")
                .orElseThrow(() -> new IllegalStateException("upload not finished: " + patched.body()));
    }

    private static void scale() throws Exception {
        int target = Integer.getInteger("jobs", 10_000);
        String management = System.getProperty("management", base.replaceFirst(":\\d+$", ":9876"));
        double recorded = metric(management, "transcoder_jobs_recorded");
        double memoryBefore = metric(management, "transcoder_redis_memory_used_bytes");
        Path clip = clip(1, "640x360");
        AtomicInteger left = new AtomicInteger((int) Math.max(0, target - recorded));
        int added = left.get();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    id(submit(clip));
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        // The gauges show Redis's counts as last read (every TRANSCODER_METRICS_REFRESH_MS): wait for the jobs added,
        // then memory is the same reading's or a later one's.
        long until = System.nanoTime() + 60_000_000_000L;
        double jobs = metric(management, "transcoder_jobs_recorded");
        while (jobs < recorded + added && System.nanoTime() < until) {
            Thread.sleep(200);
            jobs = metric(management, "transcoder_jobs_recorded");
        }
        double memoryAfter = metric(management, "transcoder_redis_memory_used_bytes");
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < 2050; i++) {
            long start = System.nanoTime();
            get(base + "/jobs?limit=50");
            if (i >= 50) {
                latencies.add((System.nanoTime() - start) / 1e6);
            }
        }
        row(String.format("list 50 of %.0f jobs", jobs), String.format("p50 %.1f ms, p99 %.1f ms (one client)",
                quantile(latencies, 0.5), quantile(latencies, 0.99)), "p99 ≤ 20 ms");
        String perJob = added > 0 ? String.format("%.0f bytes", (memoryAfter - memoryBefore) / added)
                : String.format("%.0f bytes (whole Redis / jobs)", memoryAfter / jobs);
        row("Redis memory per job", perJob, "≤ 2 KB");
    }

    @FunctionalInterface
    interface Call {
        String run() throws Exception;
    }

    /** CLIENTS threads calling as fast as answers come, for SECONDS, after -Dwarmup seconds (default 10) of the same. */
    private static void concurrent(String name, String target, Call call) throws Exception {
        latencies(call, WARMUP_SECONDS); // the JIT compiles the service's and the client's paths
        double serviceCpuBefore = cpuSeconds(pid);
        double benchCpuBefore = cpuSeconds(ProcessHandle.current().pid());
        List<Double> all = latencies(call, SECONDS);
        double serviceCpu = cpuSeconds(pid) - serviceCpuBefore;
        double benchCpu = cpuSeconds(ProcessHandle.current().pid()) - benchCpuBefore;
        row(name, String.format("%.0f/s, p50 %.1f ms, p99 %.1f ms", all.size() / (double) SECONDS,
                quantile(all, 0.5), quantile(all, 0.99)), target);
        if (pid != 0) {
            row("  CPU per call", String.format("service %.0f µs, bench client %.0f µs",
                    serviceCpu * 1e6 / all.size(), benchCpu * 1e6 / all.size()), "");
        }
    }

    /** The latencies (ms) of CLIENTS threads calling as fast as answers come, for {@code seconds}. */
    private static List<Double> latencies(Call call, long seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<List<Double>>> results = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            results.add(pool.submit(() -> {
                List<Double> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    call.run();
                    latencies.add((System.nanoTime() - start) / 1e6);
                }
                return latencies;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : results) {
            all.addAll(f.get());
        }
        pool.shutdown();
        return all;
    }

    // ---- helpers ----

    private static Path clip(int seconds, String size) throws Exception {
        Path clip = work.resolve("clip-" + seconds + "s-" + size + ".mp4");
        if (!Files.exists(clip)) {
            run(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=duration=" + seconds + ":size=" + size + ":rate=30", "-f", "lavfi", "-i",
                    "sine=duration=" + seconds, "-c:v", "libx264", "-c:a", "aac", "-shortest", clip.toString()));
        }
        return clip;
    }

    private static String submit(Path file) throws Exception {
        String boundary = "----bench" + UUID.randomUUID();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                        + " filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n", StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String management, String name) throws Exception {
        return get(management + "/observe/metrics").lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no metric " + name + " at " + management));
    }

    private static String peakRss() throws IOException {
        if (pid == 0) {
            return "unknown (no -Dpid)";
        }
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MiB").findFirst().orElse("unknown");
    }

    /** User and system CPU time a process has used (from /proc; clock ticks are 1/100 s on Linux). */
    private static double cpuSeconds(long process) throws IOException {
        if (process == 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + process + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String id(String answer) {
        Matcher id = ID.matcher(answer);
        if (!id.find()) {
            throw new IllegalStateException("submission refused: " + answer);
        }
        return id.group(1);
    }

    private static double quantile(List<Double> values, double quantile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
