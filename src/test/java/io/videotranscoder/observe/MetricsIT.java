package io.videotranscoder.observe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/metrics after real jobs: Camel's route meters, the service's own, real histogram buckets. */
class MetricsIT {

    private static final Pattern METRIC = Pattern.compile("\\b((?:transcoder|camel|jvm)_[a-z_]+)");

    @TempDir
    static Path root;
    static TestApp app;
    static String scrape;
    static String fresh;

    @BeforeAll
    static void runJobsAndScrape() throws Exception {
        Path clips = Files.createDirectories(root.resolve("clips"));
        Path clip = Media.clip(clips, "clip.mp4", 1, "640x360");
        byte[] whole = Files.readAllBytes(clip);
        Path broken = Files.write(clips.resolve("broken.mp4"), Arrays.copyOf(whole, whole.length / 3));
        // Splitting off: a preset that could be split probes its input first (its duration decides), and this class
        // measures the probe beside the encode.
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.split-min-seconds", "0"));
        fresh = app.management().get("/observe/metrics").body();
        Http http = app.http();
        String failed = null;
        for (Path file : List.of(clip, broken)) {
            String id = http.upload("/jobs", file, "x.mp4", Map.of()).json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(
                    () -> http.get("/jobs/" + id).json().path("status").asText(), s -> s.matches("succeeded|failed"));
            failed = id;
        }
        // Retried, the broken file fails again: submitted again, and a second failure.
        assertEquals(202, http.post("/jobs/" + failed + "/retry", "application/json", "").status());
        // The outcome meters are recorded right after the outcome is stored: wait for them (the retry's too), each
        // series on its own (a scrape reads the finished count before the failed one, and may read it before an
        // outcome recorded while it ran, and the failed count after)
        scrape = await().atMost(Duration.ofSeconds(10)).until(() -> app.management().get("/observe/metrics").body(),
                body -> body.lines().anyMatch(l -> l.startsWith("transcoder_jobs_failed_total{")
                        && l.contains("reason=\"not_a_video\"") && l.endsWith(" 2.0"))
                        && body.lines().anyMatch(l -> l.startsWith("transcoder_jobs_finished_total{")
                        && l.contains("outcome=\"failed\"") && l.endsWith(" 2.0"))
                        // and its queue entry acknowledged, which follows the meters (each gauge asks Redis on
                        // its own, so a scrape may see the depth after the acknowledgement and the pending before)
                        && body.contains("\ntranscoder_queue_depth 0.0\n")
                        && body.contains("\ntranscoder_queue_pending 0.0\n"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static double value(String seriesStart) {
        return scrape.lines().filter(l -> l.startsWith(seriesStart)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no series " + seriesStart + " in\n" + scrape));
    }

    private static String line(String... parts) {
        return scrape.lines().filter(l -> Arrays.stream(parts).allMatch(l::contains)).findFirst()
                .orElseThrow(() -> new AssertionError("no series with " + List.of(parts) + " in\n" + scrape));
    }

    @Test
    void counts_exchanges_per_route() {
        assertTrue(Double.parseDouble(last(line("camel_exchanges_total{", "routeId=\"worker\""))) >= 2);
        assertTrue(Double.parseDouble(last(line("camel_exchanges_total{", "routeId=\"create-job\""))) >= 2);
        line("camel_exchanges_failed_total{", "routeId=\"worker\"");
    }

    @Test
    void counts_jobs_by_source_outcome_preset_and_failure_reason() {
        assertEquals(2, Double.parseDouble(last(line("transcoder_jobs_submitted_total{", "source=\"api\""))));
        assertEquals(1, Double.parseDouble(last(line("transcoder_jobs_submitted_total{", "source=\"retry\""))),
                "a retry is submitted again: as many submitted as finished");
        assertEquals(1, Double.parseDouble(last(line("transcoder_jobs_finished_total{", "outcome=\"succeeded\"",
                "preset=\"h264-720p\""))));
        assertEquals(2, Double.parseDouble(last(line("transcoder_jobs_finished_total{", "outcome=\"failed\"",
                "preset=\"h264-720p\""))));
        assertEquals(2, Double.parseDouble(last(line("transcoder_jobs_failed_total{", "reason=\"not_a_video\""))));
        assertTrue(value("transcoder_bytes_in_total") > 0);
        assertTrue(value("transcoder_bytes_out_total") > 0);
    }

    /** A queued job cancelled is an outcome, as a running one's is: it was counted nowhere. */
    @Test
    void a_queued_job_cancelled_is_counted_as_cancelled() throws Exception {
        try (TestApp api = TestApp.start(root.resolve("api-data"), Map.of("transcoder.role", "api"))) {
            Http http = api.http();
            String id = http.upload("/jobs", Media.clip(root.resolve("clips"), "queued.mp4", 1, "640x360"), "q.mp4",
                    Map.of()).json().path("id").asText();

            assertEquals(200, http.delete("/jobs/" + id).status());

            String metrics = api.management().get("/observe/metrics").body();
            assertTrue(metrics.contains("\ntranscoder_jobs_finished_total{camelContext=\"video-transcoder\","
                                        + "outcome=\"cancelled\",preset=\"h264-720p\"} 1.0\n"), metrics);
            assertTrue(metrics.contains("\ntranscoder_job_duration_seconds_count{camelContext=\"video-transcoder\","
                                        + "outcome=\"cancelled\",preset=\"h264-720p\"} 1"), metrics);
        }
    }

    @Test
    void a_fresh_service_exports_every_known_counter_at_zero() {
        for (String series : List.of("transcoder_jobs_submitted_total{camelContext=\"video-transcoder\",source=\"inbox\"}",
                "transcoder_jobs_finished_total{camelContext=\"video-transcoder\",outcome=\"cancelled\",preset=\"hls-ladder\"}",
                "transcoder_jobs_finished_total{camelContext=\"video-transcoder\",outcome=\"succeeded\",preset=\"custom\"}",
                "transcoder_jobs_failed_total{camelContext=\"video-transcoder\",reason=\"timeout\"}",
                "transcoder_jobs_failed_total{camelContext=\"video-transcoder\",reason=\"gave_up\"}",
                "transcoder_bytes_out_total{camelContext=\"video-transcoder\"}")) {
            assertTrue(fresh.contains("\n" + series + " 0.0\n"), series + " at zero in\n" + fresh);
        }
    }

    @Test
    void the_routes_counters_and_the_pre_registered_ones_are_the_same_series() {
        assertEquals(1, scrape.lines().filter(l -> l.startsWith("transcoder_jobs_failed_total{")
                && l.contains("reason=\"not_a_video\"")).count(), "one series, not two with different tags");
        assertEquals(0, Double.parseDouble(last(line("transcoder_jobs_failed_total{", "reason=\"timeout\""))));
    }

    @Test
    void the_probe_beside_the_encode_is_measured_as_a_step_of_the_worker() {
        line("camel_exchange_event_notifier_seconds_count{", "endpointName=\"direct://probe-beside\"",
                "routeId=\"worker\"");
    }

    @Test
    void the_job_duration_is_a_histogram_with_real_buckets() {
        line("transcoder_job_duration_seconds_bucket{", "outcome=\"succeeded\"", "le=\"5.0\"");
        line("transcoder_job_duration_seconds_bucket{", "le=\"3600.0\"");
        line("transcoder_encode_speed_bucket{", "le=\"1.0\"");
        assertTrue(Double.parseDouble(last(line("transcoder_job_duration_seconds_count{", "succeeded"))) >= 1);
    }

    @Test
    void reports_the_queue_and_running_jobs() {
        assertEquals(0, value("transcoder_queue_depth"));
        assertEquals(0, value("transcoder_queue_lag"));
        assertEquals(0, value("transcoder_queue_pending"));
        assertEquals(0, value("transcoder_parts_queue_depth"));
        assertEquals(0, value("transcoder_parts_queue_lag"));
        assertEquals(0, value("transcoder_parts_queue_pending"));
        assertEquals(0, value("transcoder_jobs_running"));
        assertEquals(2, value("transcoder_jobs_recorded"));
        assertTrue(value("transcoder_redis_memory_used_bytes") > 100_000, "Redis reports its memory");
        double heap = scrape.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(last(l))).sum();
        assertTrue(heap > 0, "heap in use"); // one pool (Eden) may be empty right after a collection
    }

    @Test
    void no_label_carries_a_job_id() {
        assertFalse(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}").matcher(scrape).find(),
                "a job id in a label");
    }

    @Test
    void every_metric_the_dashboard_queries_exists() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana/dashboards/video-transcoder.json").toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertTrue(queried.size() >= 10, queried.toString());
        for (String metric : queried) {
            assertTrue(scrape.contains("\n" + metric + "{") || scrape.contains("\n" + metric + " "),
                    "the dashboard queries " + metric + ", which the service does not export");
        }
    }

    private static String last(String series) {
        return series.substring(series.lastIndexOf(' ') + 1);
    }
}
