package io.videotranscoder.http;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.videotranscoder.refusal.Refusal;
import io.vertx.core.json.Json;

/**
 * One RFC 9457 problem answer: the only place that writes problem JSON, for the routes ({@link Problems}) and for what
 * the HTTP server refuses before a route runs ({@link RouterErrors}) alike.
 */
public record Problem(int status, String title, String detail, String field, String instance) {

    public static final String CONTENT_TYPE = "application/problem+json";

    /** A refusal of the core, with the status and title each kind has always been answered with. */
    public static Problem of(Refusal refusal, String instance) {
        return switch (refusal.kind()) {
            case INVALID_FIELD -> refused(400, "Invalid field", refusal, instance);
            case NOT_FOUND -> refused(404, "Not found", refusal, instance);
            case WRONG_STATE -> refused(409, "Wrong state", refusal, instance);
            case GONE -> refused(410, "Gone", refusal, instance);
            case UNSUPPORTED_MEDIA_TYPE -> refused(415, "Unsupported media type", refusal, instance);
            case NOT_A_VIDEO -> refused(415, "Not a video", refusal, instance);
            case OUT_OF_RANGE -> refused(416, "Range not satisfiable", refusal, instance);
            case CANNOT_PROCESS -> refused(422, "Cannot process", refusal, instance);
            case NO_SPACE -> refused(507, "Insufficient storage", refusal, instance);
            case UNAVAILABLE -> refused(503, "Service unavailable", refusal, instance);
            case QUOTA_EXCEEDED -> refused(429, "Too many active jobs", refusal, instance);
        };
    }

    /** A problem titled with the status's reason phrase, concerning no field. */
    public static Problem of(int status, String detail, String instance) {
        return new Problem(status, HttpResponseStatus.valueOf(status).reasonPhrase(), detail, null, instance);
    }

    private static Problem refused(int status, String title, Refusal refusal, String instance) {
        return new Problem(status, title, refusal.getMessage(), refusal.field(), instance);
    }

    /** The body: {@code field} and {@code instance} only where there is one. */
    public String json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        return Json.encode(body);
    }
}
