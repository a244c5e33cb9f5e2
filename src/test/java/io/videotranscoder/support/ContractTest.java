package io.videotranscoder.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check itself: what it lets through and what it stops, on answers made up here. */
class ContractTest {

    private static final String JOB = """
            {"id":"58c243b8-e30a-474e-b707-9ef819067e7b","status":"queued","progress":0,"preset":"h264-720p",\
            "source":"api","filename":"clip.mp4","createdAt":"2026-11-24T01:15:39.879867238Z","attempts":0,\
            "input":{"size":20370},"outputs":[]}""";
    private static final Map<String, List<String>> JSON = Map.of("content-type", List.of("application/json"));
    private static final Map<String, List<String>> PROBLEM =
            Map.of("content-type", List.of("application/problem+json"));

    private static String check(String method, String path, int status, Map<String, List<String>> headers,
            String body) {
        return Contract.check(method, URI.create("http://127.0.0.1:8080" + path), status, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_job_as_the_document_describes_it_passes_and_names_its_operation() {
        assertEquals("get-job", check("GET", "/jobs/58c243b8-e30a-474e-b707-9ef819067e7b", 200, JSON, JOB));
    }

    @Test
    void a_field_the_document_does_not_name_is_refused() {
        AssertionError error = assertThrows(AssertionError.class, () -> check("GET", "/jobs/x", 200, JSON,
                JOB.replace("\"attempts\":0", "\"attempts\":0,\"secret\":\"s\"")));

        assertTrue(error.getMessage().contains("secret"), error.getMessage());
    }

    @Test
    void a_status_the_operation_does_not_list_is_refused() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500,\"detail\":\"x\"}";

        assertThrows(AssertionError.class, () -> check("GET", "/jobs/x", 500, PROBLEM, problem));
    }

    @Test
    void a_problem_sent_as_plain_json_is_refused() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,\"detail\":\"x\"}";

        check("GET", "/jobs/x", 404, PROBLEM, problem);
        assertThrows(AssertionError.class, () -> check("GET", "/jobs/x", 404, JSON, problem));
    }

    @Test
    void a_required_header_missing_is_refused() {
        assertThrows(AssertionError.class, () -> check("POST", "/jobs", 202, JSON, JOB));
        assertEquals("create-job", check("POST", "/jobs", 202,
                Map.of("content-type", List.of("application/json"), "location", List.of("/jobs/x")), JOB));
    }

    @Test
    void an_unknown_path_must_answer_a_404_problem() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"x\"}";

        assertNull(check("GET", "/nothing", 404, PROBLEM, problem));
        assertThrows(AssertionError.class, () -> check("GET", "/nothing", 200, JSON, "{}"),
                "an answer of an operation the document lacks");
        assertThrows(AssertionError.class, () -> check("GET", "/nothing", 404, PROBLEM, "{\"status\":404}"));
    }

    @Test
    void a_files_body_is_not_read_but_its_type_is_checked() {
        Map<String, List<String>> file = Map.of("content-type", List.of("video/mp4"), "etag", List.of("\"1-2\""),
                "last-modified", List.of("Tue, 01 Dec 2026 09:11:51 GMT"), "accept-ranges", List.of("bytes"),
                "content-length", List.of("4"), "content-disposition", List.of("attachment; filename=\"a.mp4\""));

        assertEquals("get-job-output", check("GET", "/jobs/x/output", 200, file, "\0\0\0\1"));
        assertThrows(AssertionError.class, () -> check("GET", "/jobs/x/output", 200,
                Map.of("content-type", List.of("text/html"), "content-length", List.of("4")), "<p/>"));
    }
}
