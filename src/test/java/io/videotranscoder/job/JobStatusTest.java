package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Job states are written lowercase and read case-insensitively; three of them are final. */
class JobStatusTest {

    @ParameterizedTest
    @CsvSource({"QUEUED, queued", "RUNNING, running", "SUCCEEDED, succeeded", "FAILED, failed",
            "CANCELLED, cancelled"})
    void value_is_the_lowercase_name(JobStatus status, String value) {
        assertEquals(value, status.value());
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void of_reads_back_its_value(JobStatus status) {
        assertEquals(status, JobStatus.of(status.value()));
    }

    @Test
    void of_ignores_case() {
        assertEquals(JobStatus.SUCCEEDED, JobStatus.of("Succeeded"));
        assertThrows(IllegalArgumentException.class, () -> JobStatus.of("done"));
    }

    @ParameterizedTest
    @CsvSource({"QUEUED, false", "RUNNING, false", "SUCCEEDED, true", "FAILED, true", "CANCELLED, true"})
    void only_finished_states_are_terminal(JobStatus status, boolean terminal) {
        assertEquals(terminal, status.terminal());
    }
}
