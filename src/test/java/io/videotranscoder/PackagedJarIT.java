package io.videotranscoder;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.videotranscoder.support.Frozen;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.JarProcess;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -Xmx256m -jar target/video-transcoder.jar} started in an empty folder, as a user would run it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedJarIT {

    /** Twice the heap: a server that held the body in memory could not take it. */
    private static final long UPLOAD = 512L << 20;

    @TempDir
    static Path folder;
    static JarProcess terminal;
    static Process jar;
    static int port;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(folder.resolve("empty"));
        port = TestApp.freePort();
        http = new Http("http://127.0.0.1:" + port);
        launch();
    }

    /**
     * Starts the jar with its defaults in the same folder and on the same port as before, as a restart would, and as
     * a shell in a terminal runs it.
     */
    static void launch() throws Exception {
        terminal = JarProcess.startAsTerminalCommand(folder.resolve("empty"), folder.resolve("app.log"), port);
        jar = terminal.process();
    }

    @AfterAll
    static void stop() {
        if (jar != null && jar.isAlive()) {
            jar.destroyForcibly();
        }
    }

    private static JsonNode awaitTerminal(String id) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/jobs/" + id).json(),
                        job -> List.of("succeeded", "failed").contains(job.path("status").asText()));
    }

    @Test
    @Order(1)
    void takes_an_upload_and_serves_a_correct_output() throws Exception {
        Path clip = Media.clip(folder, "clip.mp4", 1, "640x360");
        Http.Answer answer = http.upload("/jobs", clip, "clip.mp4", Map.of());
        assertEquals(202, answer.status(), answer.body());

        JsonNode job = awaitTerminal(answer.json().path("id").asText());
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        Path output = http.download("/jobs/" + job.path("id").asText() + "/output", folder.resolve("out.mp4"));
        assertEquals("h264,1280,720", Media.videoStream(output));
        assertTrue(Files.isDirectory(folder.resolve("empty/videos/" + job.path("id").asText())),
                "data kept under ./videos by default");
    }

    /** What the terminal shows up to "started": the service's own lines, not Camel's listing of its definitions. */
    @Test
    @Order(1)
    void starts_with_a_short_log_that_shows_no_setting_s_definition() throws Exception {
        List<String> start = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("app.log"))) {
            start.add(line);
            if (line.contains("(video-transcoder) started in")) {
                break;
            }
        }
        assertTrue(start.get(start.size() - 1).contains("started in"), String.join("\n", start));
        assertTrue(start.stream().anyMatch(l -> l.contains("Embedded Redis 7.0.15 started")), String.join("\n", start));
        assertTrue(start.stream().noneMatch(l -> l.contains("{{")), String.join("\n", start));
        assertTrue(start.size() <= 20, start.size() + " lines:\n" + String.join("\n", start));
    }

    /** Read from inside the jar: the document, the docs page, and Swagger UI's files from its webjar, shaded in. */
    @Test
    @Order(1)
    void serves_the_api_document_and_the_docs_page_from_the_jar() throws Exception {
        assertEquals("3.0.3", http.get("/openapi.json").json().path("openapi").asText());
        for (String file : List.of("/docs", "/docs/init.js", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js")) {
            Http.Answer answer = http.get(file);
            assertEquals(200, answer.status(), file);
            assertTrue(answer.bytes().length > 0, file);
        }
    }

    /**
     * Java's HttpClient asks for an HTTP/2 cleartext upgrade by default; Vert.x accepted it and then held upload bodies
     * in the heap, so a 1 GiB upload after a burst of such reads ran the server out of memory.
     */
    @Test
    @Order(2)
    void answers_clients_asking_for_an_h2c_upgrade_over_http_1_1() throws Exception {
        String id = http.get("/jobs?limit=1").json().path("jobs").path(0).path("id").asText();
        ExecutorService readers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Set<HttpClient.Version>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(readers.submit(() -> {
                    HttpClient client = HttpClient.newHttpClient();
                    HttpRequest read = HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + id)).build();
                    Set<HttpClient.Version> versions = EnumSet.noneOf(HttpClient.Version.class);
                    for (int n = 0; n < 25; n++) {
                        HttpResponse<Void> answer = client.send(read, HttpResponse.BodyHandlers.discarding());
                        assertEquals(200, answer.statusCode());
                        versions.add(answer.version());
                    }
                    return versions;
                }));
            }
            for (Future<Set<HttpClient.Version>> answer : answers) {
                assertEquals(Set.of(HttpClient.Version.HTTP_1_1), answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void streams_an_upload_of_twice_the_heap_to_disk_with_a_256_mib_heap() throws Exception {
        Path big = folder.resolve("big.mp4");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(UPLOAD); // sparse zeros: binary, so it passes the upload checks and fails the probe
        }
        // A new client asks for the h2c upgrade with the upload itself, as the bench's did when it ran out of memory.
        Http.Answer answer = new Http(http.base()).upload("/jobs", big, "big.mp4", Map.of());
        // Sent as a plain body instead, it would be held in the heap: it is refused from its length.
        Http.Answer plain = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(big))
                .build());
        Files.delete(big);

        assertEquals(413, plain.status(), plain.body());

        assertEquals(202, answer.status(), answer.body());
        String id = answer.json().path("id").asText();
        assertEquals(UPLOAD, Files.size(folder.resolve("empty/videos/" + id + "/input.mp4")));
        assertEquals("failed", awaitTerminal(id).path("status").asText());
        System.out.println("Server peak RSS after a 512 MiB upload: " + peakRss(jar.pid()));
        assertTrue(jar.isAlive());
    }

    /**
     * The job that runs through a Ctrl-C and then a SIGKILL of the jar. Each signal comes while its encode is frozen
     * (SIGSTOP) as soon as it is seen, so that a short clip cannot end before it; the third run encodes it all.
     */
    static String survivor;

    @Test
    @Order(4)
    void a_job_running_at_ctrl_c_is_handed_back_in_order_and_runs_again_after_a_restart() throws Exception {
        Path clip = Media.clip(folder, "long.mp4", 2, "640x360"); // encoded at 1280x720 all the same
        survivor = http.upload("/jobs", clip, "long.mp4", Map.of()).json().path("id").asText();
        List<ProcessHandle> frozen = awaitEncoding(survivor, 1);
        assertTrue(frozen.stream().allMatch(p -> p.info().commandLine().orElse("").contains(" -threads 1 -i ")),
                "TRANSCODER_FFMPEG_THREADS (JarProcess sets it) reaches FFmpeg");
        int logged = Files.readAllLines(folder.resolve("app.log")).size();

        // SIGINT to the terminal's whole group: only the JVM gets it (Redis and FFmpeg run in sessions of their own),
        // whose shutdown hooks stop FFmpeg, hand the job back while Redis answers, then stop Redis.
        terminal.interrupt();
        Frozen.resumeOnceTermed(frozen);
        jar.waitFor();
        List<String> log = Files.readAllLines(folder.resolve("app.log"));
        List<String> shutdown = log.subList(logged, log.size());
        launch();

        assertTrue(shutdown.stream().anyMatch(line -> line.contains("handed back to the group on shutdown")),
                String.join("\n", shutdown));
        assertEquals(List.of(), shutdown.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .toList(), "a quiet shutdown: Redis did not die under it");
        awaitEncoding(survivor, 1); // the restarted jar's: a stop handed back is no attempt of the job's
        JsonNode job = http.get("/jobs/" + survivor).json();
        assertEquals("running", job.path("status").asText(), job.toString());
        assertEquals(1, job.path("attempts").asInt(), job.toString());
    }

    @Test
    @Order(5)
    void a_job_running_at_sigkill_leaves_no_child_process_behind_and_succeeds_once_after_a_restart()
            throws Exception {
        List<ProcessHandle> children = jar.descendants().toList();
        assertTrue(children.stream().anyMatch(p -> p.info().commandLine().orElse("").contains(survivor)),
                "FFmpeg runs for the job");
        assertTrue(children.stream().anyMatch(p -> p.info().command().orElse("").contains("redis-server")),
                "the embedded Redis runs as a child: " + children.stream().map(p -> p.info().command()).toList());

        Instant killed = Instant.now();
        jar.destroyForcibly(); // SIGKILL: no shutdown hook runs
        jar.waitFor();
        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().allMatch(Frozen::gone));

        launch();
        JsonNode job = awaitTerminal(survivor);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertTrue(Instant.parse(job.path("startedAt").asText()).isAfter(killed), "ran again after the restart");
        // The kill's run counted (the Ctrl-C's did not), although the embedded Redis went down with the jar
        // (DeliveryCountIT).
        assertEquals(2, job.path("attempts").asInt(), job.toString());
        assertEquals(1, job.path("outputs").size());
        try (var files = Files.list(folder.resolve("empty/videos/" + survivor))) {
            assertEquals(List.of("input.mp4", "output.mp4"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "one output, no work left");
        }
    }

    /** The encode of job {@code id} in its {@code attempt}th delivery, by the jar running now, frozen as it runs. */
    private static List<ProcessHandle> awaitEncoding(String id, int attempt) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> http.get("/jobs/" + id).json().path("attempts").asInt() == attempt);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> Frozen.encodes(jar.toHandle(), id, ""), list -> !list.isEmpty());
    }

    private static String peakRss(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("unknown").replaceAll("\\s+", " ");
    }
}
