import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a running service. Only the JDK is needed:
 *
 *   java bench/Bench.java <measure> [base URL] [clip]
 *
 * measures: jobs (20 one-second jobs one after another: submit latency and end to end), submissions (16 clients
 * posting the clip for 10 s), reads (16 clients reading one job for 10 s), upload (one 1 GiB file), list (GET
 * /jobs?limit=50 latency, with however many jobs are recorded). The service's peak resident memory is read from
 * /proc when its pid is given as -Dpid=N.
 */
public class Bench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.valueOf(
            System.getProperty("http", "HTTP_2"))).build();
    private static final int CLIENTS = 16;
    private static final long SECONDS = 10;

    public static void main(String[] args) throws Exception {
        String measure = args.length > 0 ? args[0] : "jobs";
        String base = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        Path clip = Path.of(args.length > 2 ? args[2] : "clip.mp4");
        System.out.printf("%-34s %10s %10s %10s %10s%n", "measure", "count", "p50 ms", "p99 ms", "per s");
        switch (measure) {
            case "jobs" -> jobs(base, clip);
            case "submissions" -> concurrent("submissions (16 clients)", () -> submit(base, clip));
            case "reads" -> {
                String id = id(submit(base, clip));
                concurrent("status reads (16 clients)", () -> get(base + "/jobs/" + id));
            }
            case "list" -> concurrent("GET /jobs?limit=50 (16 clients)", () -> get(base + "/jobs?limit=50"));
            case "upload" -> upload(base);
            default -> throw new IllegalArgumentException("unknown measure " + measure);
        }
        String pid = System.getProperty("pid");
        if (pid != null) {
            Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .forEach(l -> System.out.println("service peak RSS: " + l.replaceAll("\\s+", " ")));
        }
    }

    private static void jobs(String base, Path clip) throws Exception {
        List<Double> submits = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            long start = System.nanoTime();
            String id = id(submit(base, clip));
            double submitted = (System.nanoTime() - start) / 1e6;
            String status;
            do {
                Thread.sleep(5);
                Matcher m = STATUS.matcher(get(base + "/jobs/" + id));
                status = m.find() ? m.group(1) : "?";
            } while (status.equals("queued") || status.equals("running"));
            if (!status.equals("succeeded")) {
                throw new IllegalStateException("job " + id + " ended " + status);
            }
            if (i >= 2) { // the first two warm up the JIT and the connection
                submits.add(submitted);
                totals.add((System.nanoTime() - start) / 1e6);
            }
        }
        print("submit (POST /jobs)", submits, 0);
        print("end to end (to succeeded)", totals, 0);
    }

    @FunctionalInterface
    interface Call {
        String run() throws Exception;
    }

    /** CLIENTS threads calling as fast as answers come, for SECONDS. */
    private static void concurrent(String name, Call call) throws Exception {
        for (int i = 0; i < 50; i++) {
            call.run(); // warm up
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
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
        print(name, all, all.size() / (double) SECONDS);
    }

    private static void upload(String base) throws Exception {
        Path big = Files.createTempFile("bench", ".mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(1L << 30);
        }
        long start = System.nanoTime();
        String answer = submitFile(base, big);
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(big);
        System.out.printf("%-34s %10d %10.1f %10s %10.0f   (MB/s; %s)%n", "upload 1 GiB", 1, seconds * 1000, "-",
                1024 / seconds, answer.contains("\"queued\"") ? "accepted" : answer);
    }

    private static String submit(String base, Path clip) throws Exception {
        return submitFile(base, clip);
    }

    private static String submitFile(String base, Path file) throws Exception {
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

    private static String id(String answer) {
        Matcher id = ID.matcher(answer);
        if (!id.find()) {
            throw new IllegalStateException("submission refused: " + answer);
        }
        return id.group(1);
    }

    private static void print(String name, List<Double> values, double perSecond) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("%-34s %10d %10.1f %10.1f %10.0f%n", name, sorted.size(), at(sorted, 0.5), at(sorted, 0.99),
                perSecond);
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
