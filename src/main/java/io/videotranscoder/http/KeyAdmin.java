package io.videotranscoder.http;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.videotranscoder.access.KeyRecord;
import io.videotranscoder.access.KeyRequest;
import io.videotranscoder.access.KeyStore;
import io.videotranscoder.access.Scope;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;

/** {@code /admin/keys}: creates a key (shown this once), lists keys (never a secret), revokes one. */
public class KeyAdmin {

    private static final String JSON = "application/json";
    /** The fields of a new key's request (the OpenAPI document's KeyRequest). */
    private static final List<String> FIELDS = List.of("name", "scopes", "tenant", "expiresAt");

    private final KeyStore keys;
    private final ObjectMapper json;
    private final Clock clock;

    public KeyAdmin(KeyStore keys, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    /** What an admin sees of a key; {@code key} only in the answer that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String id, String key, String name, List<String> scopes, String tenant, Instant createdAt,
            Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {

        static KeyView of(KeyRecord record, String key) {
            return new KeyView(record.id(), key, record.name(), record.scopes().stream().sorted().map(Scope::value)
                    .toList(), record.tenant(), record.createdAt(), record.lastUsedAt(), record.expiresAt(),
                    record.revokedAt());
        }
    }

    /** POST /admin/keys, body {@code {"name", "scopes": [...], "tenant"?, "expiresAt"?}}: 201 with the key. */
    public void create(Exchange exchange) throws JsonProcessingException {
        requireAdmin(exchange);
        JsonNode body = body(Parameters.jsonText(exchange.getIn()));
        Instant now = clock.instant();
        KeyRequest request = KeyRequest.of(text(body, "name"), scopes(body.get("scopes")), text(body, "tenant"),
                instant(text(body, "expiresAt")), now);
        KeyStore.Issued issued = request.issueIn(keys, now);
        Replies.reply(exchange.getMessage(), 201, JSON,
                json.writeValueAsString(KeyView.of(issued.record(), issued.key())));
        exchange.getMessage().setHeader("Location", "/admin/keys/" + issued.record().id());
    }

    /** GET /admin/keys: every key, newest first, revoked ones included. */
    public void list(Exchange exchange) throws JsonProcessingException {
        requireAdmin(exchange);
        List<KeyView> views = keys.list().stream().map(record -> KeyView.of(record, null)).toList();
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(Map.of("keys", views)));
    }

    /** GET /admin/keys/{id}: the key's record, revoked or not, without its secret; 404 for no such key. */
    public void read(Exchange exchange) throws JsonProcessingException {
        requireAdmin(exchange);
        String id = exchange.getIn().getHeader("id", String.class);
        KeyRecord record = keys.find(id).orElseThrow(() -> noSuchKey(id));
        Replies.reply(exchange.getMessage(), 200, JSON, json.writeValueAsString(KeyView.of(record, null)));
    }

    /** DELETE /admin/keys/{id}: the key is refused from now on; 204, or 404 for no such key. */
    public void revoke(Exchange exchange) {
        requireAdmin(exchange);
        String id = exchange.getIn().getHeader("id", String.class);
        if (!keys.revoke(id, clock.instant())) {
            throw noSuchKey(id);
        }
        Replies.reply(exchange.getMessage(), 204, null, null);
    }

    private static Refusal noSuchKey(String id) {
        return Refusal.notFound("There is no key with id '" + abbreviated(id) + "'.");
    }

    /** What a client sent, as a message repeats it: at most 64 characters. */
    private static String abbreviated(String sent) {
        return sent.length() > 64 ? sent.substring(0, 64) : sent;
    }

    /**
     * The access check let only an admin through; asked again here, so that a path the check misjudges fails
     * (the service's fault, a 500) rather than hand out keys.
     */
    private static void requireAdmin(Exchange exchange) {
        if (!Callers.of(exchange.getIn()).admin()) {
            throw new IllegalStateException("A caller without the admin scope reached the key administration");
        }
    }

    private JsonNode body(String text) {
        try {
            JsonNode body = text == null || text.isBlank() ? null : json.readTree(text);
            if (body != null && body.isObject()) {
                body.fieldNames().forEachRemaining(KeyAdmin::requireKnown);
                return body;
            }
        } catch (JsonProcessingException e) {
            // answered below, without echoing the body
        }
        throw Refusal.invalidField(null, "The body must be a JSON object: {\"name\": \"...\", \"scopes\":"
                                         + " [\"jobs:read\", \"jobs:write\"], \"tenant\": \"...\"}.");
    }

    /** A misspelt field ("scope") is refused rather than ignored. */
    private static void requireKnown(String field) {
        if (!FIELDS.contains(field)) {
            throw Refusal.invalidField(field, "A key has no field '" + abbreviated(field) + "'; its fields are "
                                              + FIELDS + ".");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Refusal.invalidField(field, field + " must be a string.");
        }
        return value.asText();
    }

    /** A list {@code ["jobs:read", ...]}, or the same as one string {@code "jobs:read,jobs:write"}. */
    private static String scopes(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (!value.isArray()) {
            throw Refusal.invalidField("scopes", "scopes must be a list of scopes: " + Scope.names() + ".");
        }
        StringBuilder list = new StringBuilder();
        value.forEach(scope -> list.append(scope.asText()).append(','));
        return list.toString();
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.invalidField("expiresAt", "expiresAt must be an instant such as 2027-01-01T00:00:00Z.");
        }
    }
}
