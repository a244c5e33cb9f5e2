package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The table of allowed moves keeps a terminal job terminal, but for a client's retry of a failure. */
class JobMoveTest {

    @Test
    void a_terminal_job_is_left_only_by_a_retry_of_a_failure() {
        List<JobMove> fromTerminal = Arrays.stream(JobMove.values())
                .filter(move -> move.from().stream().anyMatch(JobStatus::terminal)).toList();
        assertEquals(List.of(JobMove.RETRY), fromTerminal);
        assertEquals(List.of(JobStatus.FAILED), JobMove.RETRY.from());
    }

    @Test
    void only_a_worker_beginning_an_attempt_makes_a_job_running() {
        assertEquals(List.of(JobMove.BEGIN), Arrays.stream(JobMove.values())
                .filter(move -> move.to() == JobStatus.RUNNING).toList());
    }

    @Test
    void a_client_cancels_only_a_queued_job_itself() {
        assertEquals(List.of(JobStatus.QUEUED), JobMove.CANCEL_QUEUED.from());
        assertEquals(List.of(JobStatus.QUEUED, JobStatus.RUNNING), JobMove.CANCEL.from());
    }
}
