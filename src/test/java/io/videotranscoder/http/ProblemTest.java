package io.videotranscoder.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each refusal of the core is answered with the status and title clients have always seen. */
class ProblemTest {

    @ParameterizedTest
    @CsvSource({"INVALID_FIELD, 400, Invalid field", "NOT_FOUND, 404, Not found", "WRONG_STATE, 409, Wrong state",
            "GONE, 410, Gone", "UNSUPPORTED_MEDIA_TYPE, 415, Unsupported media type", "NOT_A_VIDEO, 415, Not a video",
            "OUT_OF_RANGE, 416, Range not satisfiable", "CANNOT_PROCESS, 422, Cannot process",
            "NO_SPACE, 507, Insufficient storage",
            "QUOTA_EXCEEDED, 429, Too many active jobs"})
    void answers_each_refusal_with_its_status_and_title(Refusal.Kind kind, int status, String title) {
        Problem problem = Problem.of(new Refusal(kind, "why", "field"), "/jobs");
        assertEquals(status, problem.status());
        assertEquals(title, problem.title());
    }

    @Test
    void writes_field_and_instance_only_where_there_is_one() {
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Invalid field\",\"status\":400,\"detail\":\"bad\","
                     + "\"field\":\"limit\",\"instance\":\"/jobs\"}",
                Problem.of(Refusal.invalidField("limit", "bad"), "/jobs").json());
        assertEquals("{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405,\"detail\":\"no\"}",
                Problem.of(405, "no", null).json());
    }
}
