package io.videotranscoder.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.videotranscoder.http.ApiDocs;

/**
 * The API's answers held to its OpenAPI document ({@link ApiDocs#SPEC}) by a validator library: the status must be one
 * the operation lists, the content type one it lists for that status, the body valid against its schema (no field the
 * document does not name), and its required headers present. An answer of no operation (an unknown path, 404, or a
 * method the path does not take, 405) must be a problem. {@link Http} checks every answer it receives from the API,
 * so that every integration test holds the contract; {@code -Dcontract.check=false} turns it off (to measure it).
 */
public final class Contract {

    /** A HEAD answer has no body, whatever the GET's would be; a file's (a video's) is not the validator's to read. */
    private static final String BODY_MISSING = "validation.response.body.missing";
    private static final boolean ON = !"false".equals(System.getProperty("contract.check"));

    private static final OpenAPI SPEC = parse();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createFor(SPEC).build();
    private static final ApiOperationResolver OPERATIONS = new ApiOperationResolver(SPEC, null, false);
    private static final SchemaValidator SCHEMAS = new SchemaValidator(SPEC, new MessageResolver());

    private Contract() {
    }

    /** The document as the service serves it. */
    public static OpenAPI spec() {
        return SPEC;
    }

    /**
     * Fails (AssertionError) when the answer breaks the contract.
     *
     * @param body the body received; null when it was not kept (a download written to a file)
     * @return the id of the operation that answered; null for an answer of none
     */
    public static String check(String method, URI uri, int status, Map<String, List<String>> headers, byte[] body) {
        String path = uri.getPath();
        if (!ON || method.equals("OPTIONS") || ApiDocs.open(path)) {
            return null; // a CORS preflight, or the description itself
        }
        long start = System.nanoTime();
        try {
            ApiOperationMatch match = OPERATIONS.findApiOperation(path, Request.Method.valueOf(method));
            if (!match.isPathFound() || !match.isOperationAllowed()) {
                requireProblem(method, uri, status, headers, body, match.isPathFound() ? 405 : 404);
                return null;
            }
            SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
            headers.forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    response.withHeader(name, values);
                }
            });
            boolean json = contentType(headers).matches("application/(problem\\+)?json.*");
            if (json && body != null && body.length > 0) {
                response.withBody(body);
            }
            ValidationReport report = VALIDATOR.validateResponse(path, Request.Method.valueOf(method), response.build());
            if (method.equals("HEAD") || !json) {
                report = ValidationReport.from(report.getMessages().stream()
                        .filter(m -> !m.getKey().equals(BODY_MISSING)).toList());
            }
            if (report.hasErrors()) {
                throw broken(method, uri, status, body, SimpleValidationReportFormat.getInstance().apply(report));
            }
            return match.getApiOperation().getOperation().getOperationId();
        } finally {
            ContractReport.checked(System.nanoTime() - start);
        }
    }

    /** What no operation answered is a 404 or 405 problem, as RouterErrors writes them. */
    private static void requireProblem(String method, URI uri, int status, Map<String, List<String>> headers,
            byte[] body, int expected) {
        if (status != expected) {
            throw broken(method, uri, status, body, "No operation of the document answers " + method + " "
                    + uri.getPath() + ", so the answer must be a " + expected
                    + " problem: is an operation missing from the document?");
        }
        String type = contentType(headers);
        Schema<?> problem = SPEC.getComponents().getSchemas().get("Problem");
        ValidationReport report = method.equals("HEAD") ? ValidationReport.empty() : SCHEMAS.validate(
                new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8), problem, "response.body");
        if (!type.startsWith("application/problem+json") || report.hasErrors()) {
            throw broken(method, uri, status, body, "Content-Type " + type + "; "
                    + SimpleValidationReportFormat.getInstance().apply(report));
        }
    }

    private static String contentType(Map<String, List<String>> headers) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(e -> e.getValue().get(0).toLowerCase(Locale.ROOT)).findFirst().orElse("");
    }

    /** A resource of the service, as its jar holds it. */
    public static String text(String resource) {
        try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AssertionError broken(String method, URI uri, int status, byte[] body, String why) {
        String shown = body == null ? "(not kept)" : new String(body, 0, Math.min(body.length, 600),
                StandardCharsets.UTF_8);
        return new AssertionError("The answer to " + method + " " + uri + " breaks the API's contract ("
                + ApiDocs.SPEC + "): " + status + " " + shown + "\n" + why);
    }

    private static OpenAPI parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true); // the validator reads responses and parameters given by $ref only so
        var result = new OpenAPIV3Parser().readContents(text(ApiDocs.SPEC), null, options);
        if (result.getOpenAPI() == null || !result.getMessages().isEmpty()) {
            throw new IllegalStateException(ApiDocs.SPEC + " is not a valid OpenAPI document: " + result.getMessages());
        }
        return result.getOpenAPI();
    }
}
