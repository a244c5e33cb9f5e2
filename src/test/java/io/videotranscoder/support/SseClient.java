package io.videotranscoder.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Server-Sent Events client over real HTTP, reading as the HTML standard's EventSource does (fields, comments, an
 * id kept across events, a bare id kept without an event), but without reconnecting by itself: tests reconnect.
 */
public final class SseClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched event. */
    public record Event(String id, String type, String data) {
        public JsonNode json() throws IOException {
            return JSON.readTree(data);
        }
    }

    private final HttpResponse<InputStream> response;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile String lastEventId;
    private volatile boolean ended;
    private volatile boolean closing;
    private volatile IOException cut;
    private volatile String body;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
    }

    /** GET {@code url} with {@code headers} (name, value, ...); reads the events of a 200 until it ends or is closed. */
    public static SseClient open(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (headers.length > 0) {
            request.headers(headers);
        }
        SseClient client = new SseClient(CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        if (client.status() == 200) {
            client.reader.start();
        } else {
            try (InputStream in = client.response.body()) {
                client.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            client.ended = true;
        }
        return client;
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of an answer other than 200. */
    public String body() {
        return body;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** Every id the stream sent, an event's or a bare one's (a keep-alive's), in order. */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    /** What an EventSource would send as {@code Last-Event-ID} if it reconnected now. */
    public String lastEventId() {
        return lastEventId;
    }

    /** Whether the server ended the stream (or the answer was not a stream). */
    public boolean ended() {
        return ended;
    }

    /** How the stream broke off, when it was not ended by the server (its last chunk) nor closed by the test. */
    public IOException cut() {
        return cut;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            List<String> data = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (id != null) {
                        lastEventId = id;
                        ids.add(id);
                    }
                    if (!data.isEmpty()) {
                        events.add(new Event(lastEventId, type == null ? "message" : type, String.join("\n", data)));
                    }
                    id = null;
                    type = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data.add(value);
                        default -> { } // retry, and fields a client ignores
                    }
                }
            }
            ended = true;
        } catch (IOException e) {
            if (!closing) {
                cut = e; // not closed by the test: the connection was lost, or the server cut it mid-answer
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        response.body().close();
    }
}
