package io.videotranscoder.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The thin JSON a webhook carries, {@code {type, timestamp, data}}: the job's id and status, and what the event adds
 * (the outputs and where to fetch them, the reason of a failure, the percent done); the rest is a GET away.
 */
public final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> OUTPUTS = new TypeReference<>() { };

    private final String publicUrl;

    /** @param publicUrl where clients reach the API (e.g. {@code https://videos.example.com}); blank: paths only */
    public Payloads(String publicUrl) {
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    public String body(JobEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", event.job());
        data.put("status", event.status());
        switch (event.type()) {
            case SUCCEEDED -> data.put("outputs", outputs(event));
            case FAILED -> data.put("error", event.error());
            case PROGRESS -> data.put("progress", event.progress());
            default -> {
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type().type());
        body.put("timestamp", event.at().toString());
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Map<String, Object>> outputs(JobEvent event) {
        if (event.outputs() == null) {
            return List.of();
        }
        try {
            List<Map<String, Object>> outputs = JSON.readValue(event.outputs(), OUTPUTS);
            for (Map<String, Object> output : outputs) {
                output.put("url", publicUrl + "/jobs/" + event.job() + "/outputs/" + output.get("name"));
            }
            return outputs;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable outputs of job " + event.job(), e);
        }
    }
}
