package io.videotranscoder.deploy;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.support.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile, compose file, Prometheus and Grafana configuration, checked without a Docker engine: statically,
 * and with promtool and docker-compose where they are installed (CI installs them).
 */
class DeploymentFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** SnakeYAML resolves anchors and merge keys ({@code <<: *worker}), which Jackson's YAML parser does not. */
    private static JsonNode yaml(String file) throws Exception {
        try (Reader in = Files.newBufferedReader(Path.of(file))) {
            return JSON.valueToTree(new Yaml().load(in));
        }
    }

    @Test
    void the_image_is_built_in_stages_runs_as_a_user_and_checks_readiness() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        assertEquals(2, lines.stream().filter(l -> l.startsWith("FROM ")).count(), "build stage and runtime stage");
        int pom = index(lines, "COPY pom.xml");
        assertTrue(pom >= 0 && pom < index(lines, "RUN mvn -B -q dependency:go-offline")
                   && index(lines, "RUN mvn -B -q dependency:go-offline") < index(lines, "COPY src"),
                "dependencies in their own layer, before the sources");
        String user = lines.stream().filter(l -> l.startsWith("USER ")).findFirst().orElse("USER root");
        assertFalse(user.contains("root") || user.endsWith(" 0"), user);
        assertTrue(String.join("\n", lines).contains("apt-get install -y --no-install-recommends openjdk-17-jre-headless"
                + " ffmpeg"), "Debian's FFmpeg in the runtime image");
        assertTrue(lines.stream().anyMatch(l -> l.contains("FFMPEG_PATH=/usr/bin/ffmpeg")));
        assertTrue(lines.stream().anyMatch(l -> l.equals("ENV LANG=C.UTF-8 \\")),
                "file names read as UTF-8: debian-slim sets no locale, and Java would read them as ASCII");
        assertTrue(lines.stream().anyMatch(l -> l.contains("/observe/health/ready")), "HEALTHCHECK on readiness");
        // The flags the bench chose, where an operator can override them without rebuilding.
        assertTrue(lines.stream().anyMatch(l -> l.contains("JDK_JAVA_OPTIONS=\"-XX:+UseSerialGC -Xms64m -Xmx256m\"")));
        assertTrue(lines.stream().anyMatch(l -> l.equals("ENTRYPOINT [\"java\", \"-jar\", \"/app/video-transcoder.jar\"]")),
                "exec form, so that SIGTERM reaches the JVM");
    }

    @Test
    void compose_runs_redis_the_api_named_workers_prometheus_and_grafana() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        assertEquals(List.of("api", "grafana", "prometheus", "redis", "worker-1", "worker-2"),
                Stream.of("api", "grafana", "prometheus", "redis", "worker-1", "worker-2").filter(services::has)
                        .toList());
        assertTrue(services.path("redis").path("command").toString().contains("--appendonly"));
        // Full, Redis refuses writes (503s) rather than grow until the host kills it, or evict a job.
        String redis = services.path("redis").path("command").toString();
        assertTrue(redis.contains("\"--maxmemory\",\"768mb\"") && redis.contains("\"noeviction\""), redis);
        assertEquals("1536m", services.path("redis").path("mem_limit").asText());
        assertTrue(services.path("redis").has("healthcheck"));
        assertEquals("api", services.path("api").path("environment").path("TRANSCODER_ROLE").asText());
        for (String role : List.of("api", "worker-1", "worker-2")) {
            JsonNode service = services.path(role);
            assertEquals("service_healthy", service.path("depends_on").path("redis").path("condition").asText());
            assertTrue(service.path("volumes").toString().contains("./videos:/data/videos"), role);
        }
        assertTrue(services.path("api").path("volumes").toString().contains("./inbox:/data/inbox"));
        assertTrue(services.path("grafana").path("volumes").toString().contains("./grafana/provisioning"));
    }

    @Test
    void every_service_restarts_by_itself() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        services.fieldNames().forEachRemaining(name -> assertEquals("unless-stopped",
                services.path(name).path("restart").asText(), name));
    }

    @Test
    void each_worker_keeps_its_name_across_recreates_and_mounts_the_inbox_to_hand_originals_back() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        for (String name : List.of("worker-1", "worker-2")) {
            JsonNode worker = services.path(name);
            assertEquals("worker", worker.path("environment").path("TRANSCODER_ROLE").asText());
            assertEquals(name, worker.path("environment").path("TRANSCODER_WORKER_NAME").asText(),
                    "its consumer name in the group");
            assertEquals(name, worker.path("hostname").asText());
            // Housekeeping, which may run on a worker, hands an expiring job's original back to inbox/.done or
            // inbox/.failed, and a file a dead submission received back to its claim.
            assertTrue(worker.path("volumes").toString().contains("./inbox:/data/inbox"), name);
            assertTrue(worker.path("networks").path("inner").path("aliases").toString().contains("\"worker\""),
                    "the alias Prometheus scrapes");
        }
    }

    /**
     * The workers, where FFmpeg reads untrusted media without a network namespace of its own (Docker's default seccomp
     * profile refuses it to a user other than root), are on a network with no way out; Redis and Prometheus reach
     * them there, and the API, which sends webhooks, stays on the default network.
     */
    @Test
    void the_workers_reach_redis_and_nothing_outside() throws Exception {
        JsonNode compose = yaml("docker-compose.yml");
        JsonNode services = compose.path("services");
        assertTrue(compose.path("networks").path("inner").path("internal").asBoolean(), "no way out");
        for (String name : List.of("worker-1", "worker-2")) {
            List<String> networks = new ArrayList<>();
            services.path(name).path("networks").fieldNames().forEachRemaining(networks::add);
            assertEquals(List.of("inner"), networks, name);
        }
        for (String name : List.of("redis", "prometheus")) {
            assertTrue(services.path(name).path("networks").toString().contains("\"inner\""), name);
        }
        assertTrue(services.path("api").path("networks").isMissingNode(), "the API on the default network");
    }

    @Test
    void the_api_and_workers_have_longer_to_stop_than_the_service_takes_to_shut_down() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        long shutdown = ShutdownTime.longestSeconds(); // Camel's shutdown, or the JVM's hold after it
        for (String name : List.of("api", "worker-1", "worker-2")) {
            String grace = services.path(name).path("stop_grace_period").asText();
            assertTrue(grace.matches("\\d+s") && Long.parseLong(grace.replace("s", "")) > shutdown,
                    name + ": " + grace);
        }
    }

    @Test
    void the_api_and_workers_run_as_the_host_user_not_a_fixed_uid() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        for (String name : List.of("api", "worker-1", "worker-2")) {
            assertEquals("${TRANSCODER_UID:-1000}:${TRANSCODER_GID:-1000}", services.path(name).path("user").asText(),
                    name);
        }
        assertFalse(Files.readString(Path.of("README.md")).contains("chown -R 10001"), "no lock-out advice");
    }

    /** As the Kubernetes manifests run them: a read-only root, /tmp apart, no capabilities and none to be gained. */
    @Test
    void the_api_and_workers_write_only_their_data_and_hold_no_capabilities() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        for (String name : List.of("api", "worker-1", "worker-2")) {
            JsonNode service = services.path(name);
            assertTrue(service.path("read_only").asBoolean(), name);
            assertEquals("[\"/tmp\"]", service.path("tmpfs").toString(), name);
            assertEquals("[\"ALL\"]", service.path("cap_drop").toString(), name);
            assertEquals("[\"no-new-privileges:true\"]", service.path("security_opt").toString(), name);
        }
    }

    @Test
    void only_the_api_is_published_on_all_interfaces_its_management_port_on_loopback() throws Exception {
        JsonNode services = yaml("docker-compose.yml").path("services");
        assertEquals(List.of("8080:8080", "127.0.0.1:9876:9876"), ports(services.path("api")));
        assertEquals(List.of("127.0.0.1:9090:9090"), ports(services.path("prometheus")));
        assertEquals(List.of("127.0.0.1:3000:3000"), ports(services.path("grafana")));
        for (String name : List.of("redis", "worker-1", "worker-2")) {
            assertTrue(ports(services.path(name)).isEmpty(), name);
        }
    }

    @Test
    void the_build_context_leaves_out_data_build_output_and_git() throws Exception {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        // Everything is left out, then only what the Dockerfile copies is let back in.
        assertEquals(List.of("*", "!pom.xml", "!src/", "!routes/"), rules);
        List<String> copied = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("pom.xml", "src", "routes"), copied);
    }

    @Test
    void the_image_health_check_asks_the_management_port_it_runs_with() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(dockerfile.contains("CMD curl -fsS \"http://127.0.0.1:${MANAGEMENT_PORT}/observe/health/ready\""),
                dockerfile);
        assertFalse(dockerfile.contains("HEALTHCHECK CMD [") || dockerfile.contains("CMD [\"curl\""),
                "exec form would not expand the variable");
    }

    private static List<String> ports(JsonNode service) {
        List<String> ports = new ArrayList<>();
        service.path("ports").forEach(p -> ports.add(p.asText()));
        return ports;
    }

    @Test
    void prometheus_scrapes_the_api_and_every_worker_replica() throws Exception {
        JsonNode jobs = yaml("prometheus.yml").path("scrape_configs");
        for (String service : List.of("api", "worker")) {
            Optional<JsonNode> job = Stream.of(jobs.get(0), jobs.get(1))
                    .filter(j -> j.path("dns_sd_configs").get(0).path("names").get(0).asText().equals(service))
                    .findFirst();
            assertTrue(job.isPresent(), service);
            assertEquals("/observe/metrics", job.get().path("metrics_path").asText());
            assertEquals(9876, job.get().path("dns_sd_configs").get(0).path("port").asInt());
        }
    }

    @Test
    void grafana_is_provisioned_with_the_datasource_and_the_dashboard() throws Exception {
        assertEquals("http://prometheus:9090",
                yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0).path("url").asText());
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana/dashboards/video-transcoder.json").toFile());
        assertTrue(dashboard.path("panels").size() >= 8);
    }

    /**
     * The JVM's and Camel's series are every Java or Camel program's that the Prometheus scrapes (a cluster's): the
     * dashboard's panels of them read the processes that export this service's own series, whatever their scrape job
     * is named (compose's, the pod monitor's, or a Prometheus reading the pods' annotations). promtool evaluates each
     * query beside another program's series.
     */
    @Test
    void the_dashboards_jvm_and_route_panels_read_this_service_alone() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("grafana/dashboards/video-transcoder.json").toFile());
        List<String> queries = dashboard.findValues("expr").stream().map(JsonNode::asText)
                .filter(q -> q.contains("jvm_") || q.contains("camel_")).toList();
        assertEquals(4, queries.size(), queries.toString());
        StringBuilder tests = new StringBuilder("evaluation_interval: 1m\ntests:\n  - interval: 1m\n"
                + "    input_series:\n");
        for (String instance : List.of("ours:9876", "another-java-program:8080")) {
            String labels = "job=\"kubernetes-pods\", instance=\"" + instance + "\"";
            for (String series : List.of("jvm_memory_used_bytes{area=\"heap\", ", "jvm_memory_used_bytes{area=\"nonheap\", ",
                    "camel_exchanges_total{routeId=\"worker\", ", "camel_exchanges_failed_total{routeId=\"worker\", ")) {
                tests.append("      - series: '").append(series).append(labels).append("}'\n        values: '")
                        .append(series.startsWith("jvm") ? "100x10" : "0+60x10").append("'\n");
            }
            if (instance.startsWith("ours")) {
                tests.append("      - series: 'transcoder_jobs_running{").append(labels).append("}'\n")
                        .append("        values: '0x10'\n");
            }
        }
        tests.append("    promql_expr_test:\n");
        for (String query : queries) {
            boolean memory = query.contains("jvm_");
            tests.append("      - expr: '").append(query).append("'\n        eval_time: 6m\n        exp_samples:\n")
                    .append("          - labels: '").append(memory ? "{instance=\"ours:9876\"}" : "{routeId=\"worker\"}")
                    .append("'\n            value: ").append(memory ? "100" : "1").append('\n');
        }
        Path file = Files.createTempFile("dashboard-queries-", ".yml");
        try {
            Files.writeString(file, tests);
            assertTool("promtool", "test", "rules", file.toString());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void promtool_accepts_the_prometheus_configuration() throws Exception {
        assertTool("promtool", "check", "config", "prometheus.yml");
    }

    /** Each alert fires where it should and stays quiet where it should (promtool's unit tests of the rules). */
    @Test
    void the_alerts_fire_as_their_tests_say() throws Exception {
        assertTool("promtool", "test", "rules", "src/test/resources/prometheus/alerts-test.yml");
    }

    @Test
    void compose_gives_prometheus_its_alerts() throws Exception {
        assertTrue(yaml("prometheus.yml").path("rule_files").toString().contains("prometheus-alerts.yml"));
        assertTrue(yaml("docker-compose.yml").path("services").path("prometheus").path("volumes").toString()
                .contains("./prometheus-alerts.yml:/etc/prometheus/prometheus-alerts.yml:ro"));
        assertTrue(yaml("docker-compose.yml").path("services").path("prometheus").path("volumes").toString()
                .contains("prometheus-data:/prometheus"), "its history outlives the container");
    }

    /** What an alert tells the operator to read exists: a path of the API's document. */
    @Test
    void the_calls_the_alerts_name_are_calls_of_the_api() throws Exception {
        JsonNode paths = yaml("src/main/resources/api/openapi.yaml").path("paths");
        Matcher named = Pattern.compile("(GET|POST|DELETE) (/[A-Za-z0-9/{}._-]+)")
                .matcher(Files.readString(Path.of("prometheus-alerts.yml")));
        int calls = 0;
        while (named.find()) {
            calls++;
            assertTrue(paths.has(named.group(2)), named.group() + " is no call of the API");
        }
        assertTrue(calls > 0, "the alerts name at least one call");
    }

    @Test
    void docker_compose_accepts_the_compose_file() throws Exception {
        assertTool("docker-compose", "-f", "docker-compose.yml", "config", "-q");
    }

    private static void assertTool(String... command) throws Exception {
        Assumptions.assumeTrue(Tools.onPath(command[0]), command[0] + " is not installed here: skipped (CI installs it)");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    }

    private static int index(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }
}
