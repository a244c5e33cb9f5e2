package io.videotranscoder.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.videotranscoder.access.Scope;
import io.videotranscoder.access.ScopePolicy;
import io.videotranscoder.support.Contract;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the document says of every operation, held to the code that decides it, without a server. */
class OpenApiDocumentTest {

    private static final OpenAPI SPEC = Contract.spec();

    /** Each operation with its method and path, a line each, for messages that name them. */
    record Call(String method, String path, Operation operation) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        SPEC.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> calls.add(new Call(method.name(), path, operation))));
        return calls;
    }

    @Test
    void each_call_names_the_scope_the_access_check_asks_of_it() {
        for (Call call : calls()) {
            String concrete = call.path().replaceAll("\\{[^}]+}", "x");
            String needed = ScopePolicy.required(call.method(), concrete).map(Scope::value).orElse(null);

            assertEquals(needed, call.operation().getExtensions() == null ? null
                    : call.operation().getExtensions().get("x-scope"), call + ": x-scope");
        }
    }

    @Test
    void keys_are_taken_as_a_bearer_token_or_in_x_api_key_on_every_call() {
        Map<String, SecurityScheme> schemes = SPEC.getComponents().getSecuritySchemes();

        assertEquals("bearer", schemes.get("bearer").getScheme());
        assertEquals(SecurityScheme.Type.HTTP, schemes.get("bearer").getType());
        assertEquals(SecurityScheme.In.HEADER, schemes.get("apiKey").getIn());
        assertEquals("X-API-Key", schemes.get("apiKey").getName());
        assertEquals(Set.of("bearer", "apiKey"), SPEC.getSecurity().stream().flatMap(r -> r.keySet().stream())
                .collect(Collectors.toSet()));
        for (Call call : calls()) {
            assertTrue(call.operation().getSecurity() == null, call + " keeps the document's security");
            assertTrue(call.operation().getResponses().keySet().containsAll(Set.of("401", "403")),
                    call + " lists the access check's answers");
        }
    }

    @Test
    void every_refusal_is_a_problem() {
        for (Call call : calls()) {
            call.operation().getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertEquals(Set.of("application/problem+json"), mediaTypes(response), call + " " + status);
                    MediaType problem = response.getContent().get("application/problem+json");
                    assertEquals(SPEC.getComponents().getSchemas().get("Problem"), problem.getSchema(),
                            call + " " + status);
                }
            });
        }
    }

    @Test
    void the_original_apis_calls_are_marked_as_such() {
        Set<String> original = calls().stream().filter(c -> c.operation().getTags().contains("original-api"))
                .map(Call::toString).collect(Collectors.toSet());

        assertEquals(Set.of("POST /transcode", "GET /status/{id}"), original);
        assertTrue(SPEC.getTags().stream().anyMatch(t -> t.getName().equals("original-api")
                                                         && t.getDescription().contains("original API")));
    }

    @Test
    void an_upload_names_its_parts() {
        for (String path : List.of("/jobs", "/transcode")) {
            PathItem item = SPEC.getPaths().get(path);
            MediaType form = item.getPost().getRequestBody().getContent().get("multipart/form-data");

            assertEquals(Set.of("file", "preset", "codec", "bitrate", "resolution", "callbackUrl", "split"),
                    form.getSchema().getProperties().keySet(), path);
            assertEquals(List.of("file"), form.getSchema().getRequired(), path);
            assertEquals("binary", ((Schema<?>) form.getSchema().getProperties()
                    .get("file")).getFormat(), path);
        }
    }

    private static Set<String> mediaTypes(ApiResponse response) {
        return response.getContent() == null ? Set.of() : response.getContent().keySet();
    }
}
