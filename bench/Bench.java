import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times jobs against a running service, one after another: submit latency, and end-to-end time from submit to the
 * terminal state seen by polling GET /jobs/{id} every 10 ms. Only the JDK is needed:
 *
 *   java bench/Bench.java [base URL] [clip] [jobs]
 */
public class Bench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        Path clip = Path.of(args.length > 1 ? args[1] : "clip.mp4");
        int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        HttpClient client = HttpClient.newHttpClient();
        List<Double> submits = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        for (int i = 0; i < jobs + 2; i++) {
            long start = System.nanoTime();
            String answer = submit(client, base, clip);
            double submitted = (System.nanoTime() - start) / 1e6;
            Matcher id = ID.matcher(answer);
            if (!id.find()) {
                throw new IllegalStateException("submission refused: " + answer);
            }
            String status;
            do {
                Thread.sleep(10);
                String job = client.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id.group(1))).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = STATUS.matcher(job);
                status = m.find() ? m.group(1) : "?";
            } while (status.equals("queued") || status.equals("running"));
            double total = (System.nanoTime() - start) / 1e6;
            if (!status.equals("succeeded")) {
                throw new IllegalStateException("job " + id.group(1) + " ended " + status);
            }
            if (i >= 2) { // the first two warm up the JIT and the connection
                submits.add(submitted);
                totals.add(total);
            }
        }
        System.out.printf("%-28s %10s %10s %10s%n", "measure (" + jobs + " jobs)", "p50 ms", "p90 ms", "max ms");
        print("submit (POST /jobs)", submits);
        print("end to end (to succeeded)", totals);
    }

    private static String submit(HttpClient client, String base, Path clip) throws Exception {
        String boundary = "----bench" + UUID.randomUUID();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                        + " filename=\"clip.mp4\"\r\nContent-Type: video/mp4\r\n\r\n", StandardCharsets.UTF_8),
                HttpRequest.BodyPublishers.ofFile(clip),
                HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void print(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf("%-28s %10.1f %10.1f %10.1f%n", name, at(sorted, 0.5), at(sorted, 0.9),
                sorted.get(sorted.size() - 1));
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
    }
}
