package io.videotranscoder.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.storage.StorageUri;
import io.videotranscoder.support.Tools;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests under deploy/kubernetes, checked without a cluster: the base agrees with the application
 * (read from its own files), and every overlay renders with kubectl's kustomize and validates against the Kubernetes,
 * KEDA and Prometheus-operator schemas (deploy/kubernetes/check), where kubectl and Node are installed.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path CHECK = KUBERNETES.resolve("check");
    /** Camel's management paths (camel.management.*), which HealthIT and the Dockerfile's HEALTHCHECK use. */
    private static final String LIVE = "/observe/health/live";
    private static final String READY = "/observe/health/ready";
    private static final String METRICS = "/observe/metrics";
    /** Variables a manifest may set that application.properties does not read, and why. */
    private static final Set<String> NOT_SETTINGS = Set.of(
            "REDIS_PASSWORD"); // only to build REDIS_URL, by Kubernetes' $(VAR) expansion

    @Test
    void every_variable_the_pods_set_is_one_the_application_reads() throws Exception {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Set<String> read = new TreeSet<>();
        Matcher env = Pattern.compile("\\{\\{env:([A-Z0-9_]+)").matcher(properties);
        while (env.find()) {
            read.add(env.group(1));
        }
        Set<String> set = new TreeSet<>(configMap().path("data").properties().stream().map(e -> e.getKey()).toList());
        for (JsonNode container : serviceContainers()) {
            container.path("env").forEach(e -> set.add(e.path("name").asText()));
        }
        set.removeAll(NOT_SETTINGS);
        set.removeAll(read);
        assertEquals(Set.of(), set, "set in deploy/kubernetes but read by no setting");
        assertTrue(read.contains("TRANSCODER_ROLE") && read.contains("REDIS_URL"));
    }

    @Test
    void ports_probes_and_scraping_are_the_applications() throws Exception {
        JsonNode config = configMap().path("data");
        assertEquals(envDefault("transcoder.http-port"), config.path("HTTP_PORT").asText());
        assertEquals(envDefault("transcoder.management-port"), config.path("MANAGEMENT_PORT").asText());
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(dockerfile.contains("EXPOSE " + config.path("HTTP_PORT").asText() + " "
                + config.path("MANAGEMENT_PORT").asText()), "the image exposes the ports the pods use");
        assertTrue(dockerfile.contains(READY), "the image's HEALTHCHECK uses the same readiness path");
        Matcher timeout = Pattern.compile("HEALTHCHECK .*--timeout=(\\d+)s").matcher(dockerfile);
        assertTrue(timeout.find() && Long.parseLong(timeout.group(1)) * 1000 > redisTimeoutMillis(),
                "the image's HEALTHCHECK waits longer than the Redis timeout its check may wait");
        int management = config.path("MANAGEMENT_PORT").asInt();

        for (JsonNode pod : servicePods()) {
            JsonNode container = pod.path("spec").path("containers").get(0);
            assertEquals(management, port(container, "management"));
            assertEquals(LIVE, probe(container, "livenessProbe"));
            assertEquals(LIVE, probe(container, "startupProbe"));
            // A /live waits behind a /ready that waits on Redis: no restart for Redis's fault, and a slow Redis
            // is answered by the check (up, or down with its reason), not by the probe's own timeout.
            for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
                assertTrue(container.path(probe).path("timeoutSeconds").asLong(1) * 1000 > redisTimeoutMillis(),
                        probe + " " + container.path(probe));
            }
            assertEquals(READY, probe(container, "readinessProbe"));
            JsonNode annotations = pod.path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText());
            assertEquals(String.valueOf(management), annotations.path("prometheus.io/port").asText());
            assertEquals(METRICS, annotations.path("prometheus.io/path").asText());
        }
        assertEquals(config.path("HTTP_PORT").asInt(), port(deployment("video-transcoder-api").path("spec")
                .path("template").path("spec").path("containers").get(0), "http"));
        JsonNode podMonitor = objects(KUBERNETES.resolve("overlays/pod-monitor/pod-monitor.yaml")).get(0);
        JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
        assertEquals("management", endpoint.path("port").asText());
        assertEquals(METRICS, endpoint.path("path").asText());
    }

    /**
     * Under the Prometheus operator, the alerts are compose's, word for word, and read the same series: the PodMonitor
     * names each role's job as prometheus.yml does, from the pods' component label.
     */
    @Test
    void the_operators_prometheus_gets_composes_alerts_on_composes_job_names() throws Exception {
        JsonNode rule = objects(KUBERNETES.resolve("overlays/pod-monitor/prometheus-rule.yaml")).get(0);
        JsonNode alerts;
        try (Reader in = Files.newBufferedReader(Path.of("prometheus-alerts.yml"))) {
            alerts = JSON.valueToTree(new Yaml().load(in));
        }
        assertEquals(alerts.path("groups"), rule.path("spec").path("groups"));

        JsonNode relabeling = objects(KUBERNETES.resolve("overlays/pod-monitor/pod-monitor.yaml")).get(0).path("spec")
                .path("podMetricsEndpoints").get(0).path("relabelings").get(0);
        assertEquals("[\"__meta_kubernetes_pod_label_app_kubernetes_io_component\"]",
                relabeling.path("sourceLabels").toString());
        assertEquals("job", relabeling.path("targetLabel").asText());
        Set<String> jobs = new TreeSet<>();
        for (String role : List.of("video-transcoder-api", "video-transcoder-worker")) {
            String component = deployment(role).path("spec").path("template").path("metadata").path("labels")
                    .path("app.kubernetes.io/component").asText();
            jobs.add(relabeling.path("replacement").asText().replace("$1", component));
        }
        Set<String> composeJobs = new TreeSet<>();
        try (Reader in = Files.newBufferedReader(Path.of("prometheus.yml"))) {
            JSON.valueToTree(new Yaml().load(in)).path("scrape_configs")
                    .forEach(job -> composeJobs.add(job.path("job_name").asText()));
        }
        assertEquals(composeJobs, jobs);
        assertTrue(Files.readString(KUBERNETES.resolve("overlays/pod-monitor/kustomization.yaml"))
                .contains("prometheus-rule.yaml"));
    }

    @Test
    void the_autoscaler_reads_the_workers_group_of_the_job_and_parts_streams() throws Exception {
        Map<String, String> groups = new TreeMap<>(); // stream -> the workers' group, as the routes read them
        for (String route : List.of("routes/worker.camel.yaml", "routes/segments.camel.yaml")) {
            JsonNode from = JSON.valueToTree(new Yaml().load(Files.readString(Path.of(route)))).findValue("from");
            groups.put(from.path("uri").asText().replace("redis-stream:{{transcoder.key-prefix}}",
                    envDefault("transcoder.key-prefix")), from.path("parameters").path("group").asText());
        }
        assertEquals(Map.of("transcoder:jobs", "workers", "transcoder:parts", "workers"), groups);

        JsonNode scaler = kind("ScaledObject").get(0);
        assertEquals("video-transcoder-worker", scaler.path("spec").path("scaleTargetRef").path("name").asText());
        assertTrue(deployment("video-transcoder-worker").path("spec").path("replicas").isMissingNode(),
                "KEDA owns the count: an apply would reset it");
        assertEquals(0, scaler.path("spec").path("minReplicaCount").asInt(), "from zero");
        // Queues KEDA cannot read still get workers (fallback needs the AverageValue metric the formula has).
        JsonNode fallback = scaler.path("spec").path("fallback");
        assertTrue(fallback.path("replicas").asInt() >= 1 && fallback.path("replicas").asInt()
                   <= scaler.path("spec").path("maxReplicaCount").asInt(), fallback.toString());
        assertEquals("AverageValue", scaler.path("spec").path("advanced").path("scalingModifiers").path("metricType")
                .asText());
        JsonNode redisService = named(kind("Service"), "video-transcoder-redis");
        String address = "video-transcoder-redis." + namespace() + ".svc.cluster.local:"
                         + redisService.path("spec").path("ports").get(0).path("port").asText();
        Set<String> names = new HashSet<>();
        Map<String, Set<String>> counts = new TreeMap<>(); // stream -> what its triggers count
        for (JsonNode trigger : scaler.path("spec").path("triggers")) {
            JsonNode metadata = trigger.path("metadata");
            String stream = metadata.path("stream").asText();
            assertEquals("redis-streams", trigger.path("type").asText());
            assertEquals(groups.get(stream), metadata.path("consumerGroup").asText(), stream);
            assertEquals(address, metadata.path("address").asText());
            assertEquals(kind("TriggerAuthentication").get(0).path("metadata").path("name").asText(),
                    trigger.path("authenticationRef").path("name").asText());
            names.add(trigger.path("name").asText());
            // The lag (not yet delivered) counts what waits; pending keeps a worker for a running or handed-back entry.
            if (metadata.path("lagCount").asText().equals("1")) {
                counts.computeIfAbsent(stream, k -> new TreeSet<>()).add("lag");
            }
            if (metadata.path("pendingEntriesCount").asText().equals("1")) {
                counts.computeIfAbsent(stream, k -> new TreeSet<>()).add("pending");
            }
        }
        assertEquals(Map.of("transcoder:jobs", Set.of("lag", "pending"), "transcoder:parts", Set.of("lag", "pending")),
                counts, "a split job's parts outlive its own entry: both streams keep workers");
        String formula = scaler.path("spec").path("advanced").path("scalingModifiers").path("formula").asText();
        assertEquals(names, Set.of(formula.split("\\s*\\+\\s*")), "the formula adds every trigger");
        assertEquals(4, names.size());
        assertEquals("1", envOf(configMap(), "TRANSCODER_CONCURRENCY"), "one job per worker, as the target assumes");
    }

    @Test
    void every_secret_key_a_pod_or_the_autoscaler_uses_is_created_as_the_readme_says() throws Exception {
        JsonNode secret = objects(KUBERNETES.resolve("secret.example.yaml")).get(0);
        Set<String> keys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        Set<String> used = new TreeSet<>();
        for (JsonNode workload : workloads()) {
            for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode env : container.path("env")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        assertEquals(secret.path("metadata").path("name").asText(), ref.path("name").asText());
                        used.add(ref.path("key").asText());
                    }
                }
            }
        }
        for (JsonNode ref : kind("TriggerAuthentication").get(0).path("spec").path("secretTargetRef")) {
            assertEquals(secret.path("metadata").path("name").asText(), ref.path("name").asText());
            used.add(ref.path("key").asText());
        }
        assertEquals(Set.of("bootstrap-admin-key", "redis-password", "s3-access-key-id", "s3-secret-access-key"), keys);
        assertEquals(keys, used);
        assertTrue(kind("Secret").isEmpty(), "no overlay holds the Secret: an apply would overwrite its values");
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("create secret generic " + secret.path("metadata").path("name").asText()));
        for (String key : keys) {
            assertTrue(readme.contains("--from-literal=" + key + "="), key);
        }
        for (JsonNode container : serviceContainers()) {
            String url = container.path("env").findParents("name").stream()
                    .filter(e -> e.path("name").asText().equals("REDIS_URL")).findFirst().orElseThrow()
                    .path("value").asText();
            assertEquals("redis://:$(REDIS_PASSWORD)@video-transcoder-redis:6379/0", url);
        }
    }

    @Test
    void pods_run_as_the_images_user_with_a_read_only_root_and_no_capabilities() throws Exception {
        Matcher uid = Pattern.compile("useradd [^\\n]*--uid (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(uid.find());
        for (JsonNode workload : workloads()) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            String name = workload.path("metadata").path("name").asText();
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
            // A large volume is not walked to change its files' group at every start of a pod.
            assertEquals("OnRootMismatch", pod.path("securityContext").path("fsGroupChangePolicy").asText(), name);
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name);
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name);
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name);
                assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), name);
                assertFalse(container.path("resources").path("requests").path("memory").isMissingNode(), name);
                assertFalse(container.path("resources").path("limits").path("memory").isMissingNode(), name);
            }
        }
        for (JsonNode pod : servicePods()) {
            JsonNode spec = pod.path("spec");
            assertEquals(uid.group(1), spec.path("securityContext").path("runAsUser").asText());
            // The image as loaded on the node (kind, minikube): the tag kustomize sets, latest, is pulled by default.
            assertEquals("IfNotPresent", spec.path("containers").get(0).path("imagePullPolicy").asText());
            // What the service writes: the data root (a volume) and /tmp (the JVM, the cache), nothing else.
            Set<String> mounts = new TreeSet<>();
            spec.path("containers").get(0).path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            assertEquals(Set.of("/data", "/tmp"), mounts);
            JsonNode config = configMap();
            for (String dir : List.of("TRANSCODER_DATA_DIR", "TRANSCODER_INBOX_DIR")) {
                assertTrue(envOf(config, dir).startsWith("/data/"), dir);
            }
            assertTrue(envOf(config, "TRANSCODER_CACHE_DIR").startsWith("/tmp/"));
        }
    }

    @Test
    void pods_are_given_longer_to_stop_than_the_service_takes() throws Exception {
        int longest = ShutdownTime.longestSeconds();
        for (JsonNode pod : servicePods()) {
            JsonNode preStop = pod.path("spec").path("containers").get(0).path("lifecycle").path("preStop");
            int draining = preStop.isMissingNode() ? 0 : preStop.path("exec").path("command").get(1).asInt();
            assertTrue(pod.path("spec").path("terminationGracePeriodSeconds").asInt() > draining + longest,
                    "the kubelet's SIGKILL would cut the hand-back of a running job short");
        }
    }

    /** The API leaves the Service's endpoints before it stops serving: requests meanwhile met a stopping server. */
    @Test
    void the_api_is_taken_out_of_its_service_before_it_stops() throws Exception {
        JsonNode api = named(kind("Deployment"), "video-transcoder-api").path("spec").path("template").path("spec")
                .path("containers").get(0);
        assertEquals("[\"sleep\",\"10\"]", api.path("lifecycle").path("preStop").path("exec").path("command")
                .toString());
    }

    /** Full, Redis refuses writes (a 503 to send again) rather than evict jobs or grow until it is killed. */
    @Test
    void redis_never_evicts_and_fills_up_below_its_memory_limit() throws Exception {
        JsonNode redis = named(kind("StatefulSet"), "video-transcoder-redis").path("spec").path("template").path("spec")
                .path("containers").get(0);
        String command = redis.path("command").toString();
        assertTrue(command.contains("--maxmemory-policy noeviction"), command);
        assertTrue(command.contains("--maxmemory 768mb"), command);
        // Twice the 768 MiB: the append-only file's rewrite is a fork, whose pages Redis's writes copy meanwhile.
        assertEquals("1536Mi", redis.path("resources").path("limits").path("memory").asText());
    }

    @Test
    void workers_may_reach_only_redis_and_dns() throws Exception {
        JsonNode policy = named(kind("NetworkPolicy"), "video-transcoder-worker");
        assertEquals("[\"Ingress\",\"Egress\"]", policy.path("spec").path("policyTypes").toString());
        Set<String> egress = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("egress")) {
            rule.path("ports").forEach(p -> egress.add(p.path("port").asText()));
            assertTrue(rule.path("to").size() > 0, "every egress rule names its peers");
            rule.path("to").forEach(peer -> assertTrue(peer.path("ipBlock").isMissingNode(), peer.toString()));
        }
        assertEquals(Set.of("53", "6379"), egress);
    }

    @Test
    void the_api_reaches_beyond_redis_and_dns_only_public_addresses_on_web_ports_for_its_webhooks() throws Exception {
        JsonNode policy = named(kind("NetworkPolicy"), "video-transcoder-api");
        Set<String> blocks = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("egress")) {
            for (JsonNode peer : rule.path("to")) {
                if (peer.has("ipBlock")) {
                    blocks.add(peer.path("ipBlock").path("cidr").asText());
                    Set<String> except = new TreeSet<>();
                    peer.path("ipBlock").path("except").forEach(e -> except.add(e.asText()));
                    assertTrue(except.containsAll(peer.path("ipBlock").path("cidr").asText().contains(":")
                            ? Set.of("::1/128", "fc00::/7", "fe80::/10")
                            : Set.of("10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16",
                                    "100.64.0.0/10")), except.toString());
                    Set<String> ports = new TreeSet<>();
                    rule.path("ports").forEach(p -> ports.add(p.path("port").asText()));
                    assertEquals(Set.of("443", "80"), ports);
                }
            }
        }
        assertEquals(Set.of("0.0.0.0/0", "::/0"), blocks);
    }

    @Test
    void every_overlay_renders_and_each_object_is_valid_for_its_schema() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("kubectl"),
                "kubectl is not installed here: the overlays are not rendered or validated (only the base is checked)");
        Assumptions.assumeTrue(Tools.onPath("node") && Tools.onPath("npm"),
                "Node and npm are not installed here: the rendered overlays are not validated");
        Path modules = checkModules();
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(KUBERNETES.resolve("overlays"))) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(List.of("external-redis", "ingress", "pod-monitor", "rwx", "s3"),
                overlays.stream().map(p -> p.getFileName().toString()).toList());
        for (Path overlay : overlays) {
            String rendered = run(Path.of("."), null, Map.of(), "kubectl", "kustomize", overlay.toString());
            String validation = run(CHECK, rendered, Map.of("NODE_PATH", modules.toString()), "node", "validate.js");
            assertFalse(validation.contains("INVALID"), overlay + ":\n" + validation);
            List<JsonNode> objects = new ArrayList<>();
            new Yaml().loadAll(rendered).forEach(o -> objects.add(JSON.valueToTree(o)));
            for (JsonNode object : objects) {
                if (!object.path("kind").asText().equals("Namespace")) {
                    assertEquals(namespace(), object.path("metadata").path("namespace").asText(), object.toString());
                }
            }
            peersArePods(overlay, objects);
            if (overlay.endsWith("s3")) { // every pod's /data is an emptyDir, asked for as the node's disk
                for (JsonNode deployment : objects.stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                        .toList()) {
                    assertEquals("50Gi", deployment.path("spec").path("template").path("spec").path("containers").get(0)
                            .path("resources").path("requests").path("ephemeral-storage").asText(), deployment.path(
                            "metadata").path("name").asText());
                }
            }
            if (overlay.endsWith("s3")) { // a resumable upload's bytes wait on one API pod: its client stays there
                JsonNode api = named(objects.stream().filter(o -> o.path("kind").asText().equals("Service")).toList(),
                        "video-transcoder-api");
                assertEquals("ClientIP", api.path("spec").path("sessionAffinity").asText(), api.toString());
                // The store's ports are open to public addresses only: not the metadata service's, whose credentials
                // a worker tricked by a file would reach.
                JsonNode store = named(objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy"))
                        .toList(), "video-transcoder-object-store");
                for (JsonNode rule : store.path("spec").path("egress")) {
                    assertFalse(rule.path("to").isEmpty(), "a rule without 'to' opens its ports to every address");
                    for (JsonNode to : rule.path("to")) {
                        String cidr = to.path("ipBlock").path("cidr").asText();
                        assertTrue(to.path("ipBlock").path("except").toString()
                                .contains(cidr.contains(":") ? "fc00::/7" : "10.0.0.0/8"), rule.toString());
                    }
                }
            }
            // Every role mounts the one shared data root the overlay provides, or none shares a disk (object storage).
            JsonNode config = named(objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")).toList(),
                    "video-transcoder").path("data");
            String storage = config.path("TRANSCODER_STORAGE").asText();
            // The AWS SDK takes an endpoint variable set empty as the store's address; the service refuses it.
            config.properties().forEach(e -> assertFalse(e.getKey().startsWith("AWS_ENDPOINT_URL")
                                                         && e.getValue().asText().isBlank(), overlay + ": " + e));
            for (JsonNode deployment : objects.stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                    .toList()) {
                JsonNode data = named(deployment.path("spec").path("template").path("spec").path("volumes"), "data");
                if (overlay.endsWith("s3")) {
                    assertTrue(StorageUri.parse(storage).bucket() != null, storage);
                    assertTrue(data.path("persistentVolumeClaim").isMissingNode(), overlay + ": " + data);
                    assertTrue(data.path("emptyDir").has("sizeLimit"), overlay + ": " + data);
                    // A scratch folder outside the data root would be held to the node's free disk, not the limit.
                    String scratch = config.path("TRANSCODER_SCRATCH_DIR").asText("");
                    assertTrue(scratch.isEmpty() || scratch.startsWith(envOf(configMap(), "TRANSCODER_DATA_DIR") + "/"),
                            overlay + ": " + scratch);
                    // The service is told the limit its pod is evicted at, not only the node's free space.
                    assertEquals(Long.toString(bytes(data.path("emptyDir").path("sizeLimit").asText())),
                            config.path("TRANSCODER_DATA_LIMIT_BYTES").asText(), overlay + ": " + data);
                    continue;
                }
                assertEquals("", storage, overlay + ": the shared volume holds jobs' files");
                String claim = data.path("persistentVolumeClaim").path("claimName").asText();
                JsonNode pvc = named(objects.stream().filter(o -> o.path("kind").asText()
                        .equals("PersistentVolumeClaim")).toList(), claim);
                assertEquals("[\"ReadWriteMany\"]", pvc.path("spec").path("accessModes").toString(), overlay.toString());
                assertTrue(data.path("emptyDir").isMissingNode(), overlay + ": " + data);
            }
        }
    }

    /** A Kubernetes quantity of bytes ({@code 50Gi}, {@code 500M}, {@code 1024}). */
    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)([KMGT]i?)?").matcher(quantity);
        assertTrue(m.matches(), quantity);
        long scale = 1;
        if (m.group(2) != null) {
            int power = "KMGT".indexOf(m.group(2).charAt(0)) + 1;
            scale = (long) Math.pow(m.group(2).endsWith("i") ? 1024 : 1000, power);
        }
        return Long.parseLong(m.group(1)) * scale;
    }

    /**
     * The check's Node packages (package-lock.json), installed once per machine in the user's cache like Maven's and
     * npm's own downloads: unpacking them takes {@code npm ci} 5 s of a core, which every clean clone would pay again.
     */
    private static Path checkModules() throws Exception {
        String lock = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(CHECK.resolve("package-lock.json")))).substring(0, 16);
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "video-transcoder", "kubernetes-check");
        Path installed = cache.resolve(lock);
        if (!Files.isDirectory(installed.resolve("node_modules"))) {
            Files.createDirectories(cache);
            Path staging = Files.createTempDirectory(cache, "install-");
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(CHECK.resolve(file), staging.resolve(file));
            }
            run(staging, null, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
            try {
                Files.move(staging, installed, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                PathUtils.deleteDirectory(staging); // another build installed them first
            }
        }
        return installed.resolve("node_modules");
    }

    /** Runs a tool and answers its standard output (its errors go to a file, shown if it fails). */
    private static String run(Path dir, String input, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kubernetes-check", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectError(errors.toFile());
            builder.environment().putAll(environment);
            Process p = builder.start();
            try (var in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
            assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out + Files.readString(errors));
            return out;
        } finally {
            Files.delete(errors);
        }
    }

    /** Every object of the base's files. */
    /**
     * Each peer a network policy selects by its labels is pods that exist: the service's own (the labels of a rendered
     * pod template) or the cluster's DNS. A label added to every selector (kustomize's includeSelectors) made the DNS
     * peer select nothing, and no pod could look a name up.
     */
    private static void peersArePods(Path overlay, List<JsonNode> objects) {
        List<Map<String, String>> pods = objects.stream().map(o -> o.path("spec").path("template").path("metadata")
                .path("labels")).filter(JsonNode::isObject).map(KubernetesManifestsTest::labels).toList();
        for (JsonNode policy : objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")).toList()) {
            for (String way : List.of("ingress/from", "egress/to")) {
                for (JsonNode rule : policy.path("spec").path(way.split("/")[0])) {
                    for (JsonNode peer : rule.path(way.split("/")[1])) {
                        if (!peer.has("podSelector")) {
                            continue;
                        }
                        Map<String, String> wanted = labels(peer.path("podSelector").path("matchLabels"));
                        assertTrue(wanted.equals(Map.of("k8s-app", "kube-dns"))
                                   || pods.stream().anyMatch(pod -> pod.entrySet().containsAll(wanted.entrySet())),
                                overlay + ", " + policy.path("metadata").path("name").asText() + ": " + peer);
                    }
                }
            }
        }
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new TreeMap<>();
        labels.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<JsonNode> base() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES.resolve("base"))) {
            for (Path file : files.filter(f -> !f.endsWith("kustomization.yaml")).sorted().toList()) {
                objects.addAll(objects(file));
            }
        }
        return objects;
    }

    private static List<JsonNode> objects(Path file) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            new Yaml().loadAll(in).forEach(o -> objects.add(JSON.valueToTree(o)));
        }
        return objects;
    }

    private static List<JsonNode> kind(String kind) throws IOException {
        return base().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode named(Iterable<JsonNode> objects, String name) {
        for (JsonNode object : objects) {
            if (name.equals(object.path("metadata").path("name").asText(object.path("name").asText()))) {
                return object;
            }
        }
        throw new AssertionError("no " + name);
    }

    private static JsonNode deployment(String name) throws IOException {
        return named(kind("Deployment"), name);
    }

    private static JsonNode configMap() throws IOException {
        return kind("ConfigMap").get(0);
    }

    private static String envOf(JsonNode configMap, String name) {
        return configMap.path("data").path(name).asText();
    }

    private static String namespace() throws IOException {
        return kind("Namespace").get(0).path("metadata").path("name").asText();
    }

    /** Every workload's pod template, Redis's too. */
    private static List<JsonNode> workloads() throws IOException {
        return base().stream().filter(o -> Set.of("Deployment", "StatefulSet").contains(o.path("kind").asText()))
                .toList();
    }

    /** The pod templates that run the service (the API and the workers). */
    private static List<JsonNode> servicePods() throws IOException {
        List<JsonNode> pods = kind("Deployment").stream().map(d -> d.path("spec").path("template")).toList();
        assertEquals(2, pods.size());
        return pods;
    }

    private static List<JsonNode> serviceContainers() throws IOException {
        return servicePods().stream().map(p -> p.path("spec").path("containers").get(0)).toList();
    }

    private static int port(JsonNode container, String name) {
        return named(container.path("ports"), name).path("containerPort").asInt();
    }

    private static String probe(JsonNode container, String probe) {
        JsonNode get = container.path(probe).path("httpGet");
        assertEquals("management", get.path("port").asText(), probe);
        return get.path("path").asText();
    }

    private static String property(String key) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(key).trim();
    }

    /** How long a Redis command may take by default, which a health check of Redis waits for. */
    private static long redisTimeoutMillis() throws IOException {
        Matcher m = Pattern.compile("\\{\\{env:[A-Z_]+:(\\d+)}}ms").matcher(property("transcoder.redis-timeout"));
        assertTrue(m.matches(), property("transcoder.redis-timeout"));
        return Long.parseLong(m.group(1));
    }

    /** The default of a {@code {{env:NAME:default}}} setting. */
    private static String envDefault(String key) throws IOException {
        Matcher m = Pattern.compile("\\{\\{env:[A-Z0-9_]+:(.*)}}").matcher(property(key));
        assertTrue(m.matches(), key);
        return m.group(1);
    }
}
