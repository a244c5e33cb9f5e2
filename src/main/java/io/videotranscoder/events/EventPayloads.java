package io.videotranscoder.events;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.webhook.EventType;
import io.videotranscoder.webhook.Payloads;

/**
 * The data of each event, the JSON a webhook of the same event carries ({@code {type, timestamp, data}}, see
 * {@link Payloads}), so that a page and a receiver read one shape; a progress reading adds speed, fps and ETA.
 */
public final class EventPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Payloads webhooks;

    public EventPayloads(Payloads webhooks) {
        this.webhooks = webhooks;
    }

    public String of(LoggedEvent logged) {
        return webhooks.body(logged.event());
    }

    public String of(LiveProgress progress) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", progress.job());
        data.put("status", "running");
        data.put("progress", progress.percent());
        putIfKnown(data, "speed", progress.speed());
        putIfKnown(data, "fps", progress.fps());
        putIfKnown(data, "eta", progress.eta());
        return envelope(EventType.PROGRESS.type(), progress.at().toString(), data);
    }

    /** {@code {type, timestamp, data}} as one line of JSON. */
    public static String envelope(String type, String timestamp, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp);
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfKnown(Map<String, Object> data, String name, Object value) {
        if (value != null) {
            data.put(name, value);
        }
    }
}
