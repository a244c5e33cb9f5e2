package io.videotranscoder.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.videotranscoder.support.Contract;
import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document (src/main/resources/api/openapi.yaml) is the API's contract: it lists exactly the operations
 * the REST DSL serves, every one of them answers as it says (each answer checked by {@link Contract} inside
 * {@link Http}), and it is served at /openapi.yaml, /openapi.json and, for people, /docs, from the jar, to anyone: the
 * calls run keyless in protected mode until the last ones make keys, after which the description is read without one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

    @TempDir
    static Path root;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        // Webhooks may go to this machine here, so that an endpoint can be registered without a public address.
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.webhook-allowlist", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** One operation as both sides can name it: method, path, id, summary, tag, query parameters. */
    record Described(String method, String path, String id, String summary, String tag, Set<String> query) {
        @Override
        public String toString() {
            return method + " " + path + " " + id + " (" + summary + ") [" + tag + "] ?" + query;
        }
    }

    @Test
    @Order(1)
    void the_document_lists_exactly_the_operations_of_the_rest_dsl() {
        Set<String> dsl = new TreeSet<>();
        for (RestDefinition rest : ((ModelCamelContext) app.context()).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                Set<String> query = verb.getParams().stream().filter(p -> p.getType() == RestParamType.query)
                        .map(ParamDefinition::getName).collect(Collectors.toCollection(TreeSet::new));
                dsl.add(new Described(verb.asVerb().toUpperCase(), (rest.getPath() == null ? "" : rest.getPath())
                        + verb.getPath(), verb.getId(), verb.getDescriptionText(), rest.getId(), query).toString());
            }
        }
        Set<String> document = new TreeSet<>();
        Contract.spec().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (servedByRouter(operation)) {
                return; // a handler of the HTTP server (event streams, tus): the next test calls it
            }
            document.add(new Described(method.name(), path, operation.getOperationId(), operation.getSummary(),
                        String.join(",", operation.getTags()), query(item, operation)).toString());
        }));

        assertEquals(String.join("\n", dsl), String.join("\n", document),
                "the REST DSL (routes/http-*.camel.yaml) and the document (api/openapi.yaml), one operation a line");
    }

    /** An operation a Vert.x handler serves rather than the REST DSL (an event stream, the tus protocol). */
    private static boolean servedByRouter(Operation operation) {
        return operation.getExtensions() != null && "vertx".equals(operation.getExtensions().get("x-served-by"));
    }

    private static Set<String> query(PathItem item, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        return parameters.stream().filter(p -> "query".equals(p.getIn())).map(Parameter::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @Order(2)
    void every_operation_the_document_lists_answers_as_it_says() throws Exception {
        Http http = app.http();
        Path clip = Media.clip(root, "clip.mp4", 1, "320x240");
        Path noise = root.resolve("noise.mp4");
        byte[] bytes = new byte[8192];
        new Random(7).nextBytes(bytes);
        Files.write(noise, bytes);

        assertEquals(200, http.get("/presets").status());
        String id = http.upload("/jobs", clip, "clip.mp4", Map.of()).json().path("id").asText();
        assertEquals("succeeded", ended(http, id));
        assertEquals(200, http.get("/jobs?status=succeeded&limit=5").status());
        assertEquals(200, http.get("/jobs/" + id + "/output").status());
        assertEquals(206, http.send(head("/jobs/" + id + "/output", "Range", "bytes=0-99")).status());
        assertEquals(206, http.get("/jobs/" + id + "/outputs/output.mp4", "Range", "bytes=10-").status());
        assertEquals(200, http.send(head("/jobs/" + id + "/outputs/output.mp4")).status());
        assertEquals(200, http.get("/jobs/" + id + "/deliveries").status());
        assertEquals(409, http.post("/jobs/" + id + "/cancel", "application/json", "").status(), "it has ended");
        assertEquals(200, http.send(head("/jobs/" + id + "/outputs/output.mp4")).status(), "and keeps its outputs");
        assertEquals(409, http.get("/callback-secret").status(), "no TRANSCODER_WEBHOOK_SECRET here");
        // The stream of a job that ended says where it stands and ends; a token that is not one is refused.
        String stream = http.get("/jobs/" + id + "/events").body();
        assertTrue(stream.contains("event: job.state") && stream.contains("\"status\":\"succeeded\""), stream);
        assertEquals(200, http.post("/events/token", "application/json", "").status());
        assertEquals(401, http.get("/events?token=not-a-token").status());

        // A resumable upload in two pieces becomes a job; another is dropped.
        byte[] file = Files.readAllBytes(clip);
        String tus = "Tus-Resumable";
        Http.Answer created = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).header(tus, "1.0.0")
                .header("Upload-Length", Integer.toString(file.length)).build());
        assertEquals(201, created.status());
        String upload = "/uploads/" + created.header("Location");
        assertEquals(204, patch(http, upload, 0, Arrays.copyOfRange(file, 0, 1000)).status());
        assertEquals("1000", http.send(head(upload, tus, "1.0.0")).header("Upload-Offset"));
        Http.Answer last = patch(http, upload, 1000, Arrays.copyOfRange(file, 1000, file.length));
        assertEquals(204, last.status());
        assertEquals("succeeded", ended(http, last.header("Job-Id")));
        String dropped = "/uploads/" + http.send(HttpRequest.newBuilder(URI.create(http.base() + "/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).header(tus, "1.0.0").header("Upload-Length", "10")
                .build()).header("Location");
        assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(http.base() + dropped)).DELETE()
                .header(tus, "1.0.0").build()).status());
        String overridden = "/uploads/" + http.send(HttpRequest.newBuilder(URI.create(http.base() + "/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).header(tus, "1.0.0").header("Upload-Length", "10")
                .build()).header("Location");
        Http.Answer plainPost = http.send(HttpRequest.newBuilder(URI.create(http.base() + overridden))
                .POST(HttpRequest.BodyPublishers.noBody()).header(tus, "1.0.0").build());
        assertEquals(405, plainPost.status(), plainPost.body());
        assertEquals("DELETE, HEAD, OPTIONS, PATCH", plainPost.header("Allow"), "not POST, which stands for others");
        assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(http.base() + overridden))
                .POST(HttpRequest.BodyPublishers.noBody()).header(tus, "1.0.0")
                .header("X-HTTP-Method-Override", "DELETE").build()).status());
        assertEquals(404, http.send(head(overridden, tus, "1.0.0")).status());

        String failed = http.upload("/jobs", noise, "noise.mp4", Map.of()).json().path("id").asText();
        assertEquals("failed", ended(http, failed));
        assertEquals(202, http.post("/jobs/" + failed + "/retry", "application/json", "").status());

        String legacy = http.upload("/transcode", clip, "clip.mp4", Map.of("codec", "libx264", "bitrate", "800k",
                "resolution", "320x240")).json().path("job_id").asText();
        assertEquals(200, http.get("/status/" + legacy).status());
        assertEquals(204, deleteWhenEnded(http, legacy));

        JsonNode endpoint = http.post("/admin/webhooks", "application/json",
                "{\"url\":\"http://127.0.0.1:9/hooks\",\"events\":[\"job.succeeded\"]}").json();
        String webhooks = "/admin/webhooks/" + endpoint.path("id").asText();
        assertEquals(200, http.get("/admin/webhooks").status());
        assertEquals(200, http.get(webhooks).status());
        assertEquals(200, http.post(webhooks + "/rotate", "application/json", "").status());
        assertEquals(200, http.post(webhooks + "/disable", "application/json", "").status());
        assertEquals(200, http.post(webhooks + "/enable", "application/json", "").status());
        assertEquals(204, http.delete(webhooks).status());

        // A body that is not JSON is the route's to refuse (400, as the document says), not the router's (405).
        assertEquals(400, http.post("/admin/keys", "text/plain", "name=ops").status());
        // The first key ends protected mode: from then on every call needs one.
        JsonNode admin = http.post("/admin/keys", "application/json", "{\"name\":\"ops\",\"scopes\":[\"admin\"]}")
                .json();
        String other = http.post("/admin/keys", "application/json", "{\"name\":\"ci\",\"scopes\":\"jobs:read\"}",
                "X-API-Key", admin.path("key").asText()).json().path("id").asText();
        assertEquals(200, http.get("/admin/keys", "X-API-Key", admin.path("key").asText()).status());
        assertEquals(200, http.get("/admin/keys/" + other, "X-API-Key", admin.path("key").asText()).status());
        assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(http.base() + "/admin/keys/" + other)).DELETE()
                .header("Authorization", "Bearer " + admin.path("key").asText()).build()).status());

        Set<String> listed = new TreeSet<>();
        Contract.spec().getPaths().values().forEach(item -> item.readOperations()
                .forEach(operation -> listed.add(operation.getOperationId())));
        assertEquals(listed, new TreeSet<>(http.answered()), "every operation of the document answered");
    }

    private static String ended(Http http, String id) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/jobs/" + id + "?wait=20").json().path("status").asText(),
                        status -> Set.of("succeeded", "failed", "cancelled").contains(status));
    }

    private static int deleteWhenEnded(Http http, String id) throws Exception {
        ended(http, id);
        return http.delete("/jobs/" + id).status();
    }

    private static Http.Answer patch(Http http, String upload, long offset, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + upload))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)).header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream").build());
    }

    private static HttpRequest head(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.http().base() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    @Test
    @Order(3)
    void the_document_is_served_as_yaml_and_json_without_a_key() throws Exception {
        Http http = app.http();
        assertEquals(401, http.get("/presets").status(), "keys exist: the API needs one");
        Http.Answer yaml = http.get("/openapi.yaml");
        Http.Answer json = http.get("/openapi.json");

        assertEquals(200, yaml.status());
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
        assertEquals(Contract.text(ApiDocs.SPEC), yaml.body());
        assertEquals(200, json.status());
        assertEquals("application/json", json.header("Content-Type"));
        assertEquals(new YAMLMapper().readTree(yaml.bytes()), new ObjectMapper().readTree(json.bytes()));
        assertEquals("3.0.3", json.json().path("openapi").asText());
    }

    /** The page and everything it loads come from the service itself: no CDN, so it works offline. */
    @Test
    @Order(4)
    void the_docs_page_is_swagger_ui_served_from_the_jar_without_a_key() throws Exception {
        Http http = app.http();
        Http.Answer page = http.get("/docs");

        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"), "not framed elsewhere");
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> loaded = new ArrayList<>();
        while (links.find()) {
            loaded.add(links.group(1));
        }
        assertEquals(List.of("docs/swagger-ui.css", "docs/favicon-32x32.png", "docs/swagger-ui-bundle.js",
                "docs/init.js"), loaded, "relative links, resolved under /docs/");
        for (String link : loaded) {
            Http.Answer file = http.get("/" + link);
            assertEquals(200, file.status(), link);
            assertTrue(file.bytes().length > 0, link);
        }
        assertTrue(http.get("/docs/swagger-ui-bundle.js").body().contains("SwaggerUIBundle"));
        assertTrue(http.get("/docs/init.js").body().contains("url: \"openapi.json\""),
                "the page reads the service's own document");
        Http.Answer head = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/docs/swagger-ui.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.status());
        assertEquals(0, head.bytes().length);
        assertEquals(http.get("/docs/swagger-ui.css").bytes().length, Long.parseLong(head.header("Content-Length")));
        Http.Answer slash = http.get("/docs/");
        assertEquals(301, slash.status());
        assertEquals("../docs", slash.header("Location"));
        assertEquals(404, http.get("/docs/index.html").status(), "only the files the page loads are served");
        assertFalse(page.body().contains("://"), "no link to another host");
    }
}
