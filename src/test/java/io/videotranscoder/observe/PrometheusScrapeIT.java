package io.videotranscoder.observe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import io.videotranscoder.support.Http;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/** A real Prometheus scrapes the running service and its query API returns Camel's series. */
class PrometheusScrapeIT {

    @TempDir
    Path root;

    @Test
    void prometheus_scrapes_the_service() throws Exception {
        Assumptions.assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "prometheus"))),
                "prometheus is not installed here: skipped (CI installs Debian's prometheus)");
        try (TestApp app = TestApp.start(root.resolve("data"), Map.of())) {
            int managementPort = Integer.parseInt(app.management().base().substring(
                    app.management().base().lastIndexOf(':') + 1));
            Path config = Files.writeString(root.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: video-transcoder
                        metrics_path: /observe/metrics
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(managementPort));
            int port = TestApp.freePort();
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + root.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(root.resolve("prometheus.log").toFile()).start();
            try {
                Http query = Http.unchecked("http://127.0.0.1:" + port);
                String path = "/api/v1/query?query=" + URLEncoder.encode(
                        "camel_exchanges_total{job=\"video-transcoder\"}", StandardCharsets.UTF_8);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> query.get(path).json().path("data").path("result").size() > 0);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> query.get("/api/v1/query?query=transcoder_queue_depth").json()
                                .path("data").path("result").size() == 1);
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }
}
