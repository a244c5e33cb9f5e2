package io.videotranscoder.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real HTTP calls: multipart uploads streamed from disk, JSON answers. Every answer of the API is held to its OpenAPI
 * document ({@link Contract}); {@link #unchecked} is for other servers (management, Prometheus).
 */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WAIT = Pattern.compile("[?&]wait=(\\d{1,4})(&|$)");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final boolean api;
    /** The operations of the document that answered this client. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    /** A client of the API, whose answers are checked against its contract. */
    public Http(String base) {
        this(base, true);
    }

    private Http(String base, boolean api) {
        this.base = base;
        this.api = api;
    }

    /** A client of a server other than the API: its answers are not the API's contract. */
    public static Http unchecked(String base) {
        return new Http(base, false);
    }

    /** The ids of the document's operations that answered this client so far. */
    public Set<String> answered() {
        return Set.copyOf(answered);
    }

    public String base() {
        return base;
    }

    public record Answer(int status, Map<String, List<String>> headers, byte[] bytes) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() throws IOException {
            return JSON.readTree(bytes);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A multipart/form-data POST; {@code file} may be null (no file part), {@code fileName} is sent verbatim. */
    public Answer upload(String path, Path file, String fileName, Map<String, String> fields) throws Exception {
        return upload(path, file, fileName, fields, new String[0]);
    }

    /** The same with request headers, name and value in turn (e.g. {@code "X-API-Key", key}). */
    public Answer upload(String path, Path file, String fileName, Map<String, String> fields, String... headers)
            throws Exception {
        return uploadParts(path, file, fileName, List.copyOf(fields.entrySet()), 1, headers);
    }

    /**
     * A multipart upload as a client may send it, right or wrong: {@code fields} in order (a name may come twice),
     * then {@code file} in {@code copies} parts named {@code file}.
     */
    public Answer uploadParts(String path, Path file, String fileName, List<Map.Entry<String, String>> fields,
            int copies, String... headers) throws Exception {
        String boundary = "----vt" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Map.Entry<String, String> field : fields) {
            parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                           + "\"\r\n\r\n" + field.getValue() + "\r\n"));
        }
        for (int copy = 0; file != null && copy < copies; copy++) {
            parts.add(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                           + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(file));
            parts.add(text("\r\n"));
        }
        parts.add(text("--" + boundary + "--\r\n"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)))
                .timeout(Duration.ofMinutes(5));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Answer get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.GET().build());
    }

    /** 30 s, and as much again as a {@code ?wait=} may hold the answer. */
    private static Duration timeout(String path) {
        Matcher wait = WAIT.matcher(path);
        return Duration.ofSeconds(30 + (wait.find() ? Long.parseLong(wait.group(1)) : 0));
    }

    /** A GET whose answer is awaited later, e.g. one held by {@code ?wait=}. */
    public CompletableFuture<Answer> getAsync(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout(path)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(this::checked);
    }

    public Path download(String path, Path target) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<Path> response = client.send(request, HttpResponse.BodyHandlers.ofFile(target));
        check(response, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
        }
        return target;
    }

    public Answer delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().timeout(Duration.ofSeconds(30)).build());
    }

    public Answer post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Answer send(HttpRequest request) throws Exception {
        return checked(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private Answer checked(HttpResponse<byte[]> response) {
        check(response, response.body());
        return new Answer(response.statusCode(), response.headers().map(), response.body());
    }

    private void check(HttpResponse<?> response, byte[] body) {
        if (api) {
            String operation = Contract.check(response.request().method(), response.request().uri(),
                    response.statusCode(), response.headers().map(), body);
            if (operation != null) {
                answered.add(operation);
            }
        }
    }

    private static HttpRequest.BodyPublisher text(String text) {
        return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }
}
