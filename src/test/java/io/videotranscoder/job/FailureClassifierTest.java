package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.component.exec.ExecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed attempt is named by what ended it and the step it was in, in a person's words and a metric's. */
class FailureClassifierTest {

    private static final Duration LIMIT = Duration.ofMinutes(120);
    private static final String ROOT = "/var/lib/transcoder";

    private static FailureClassifier.Verdict classify(Exception cause, String stderr, String stage, boolean timedOut) {
        return FailureClassifier.classify(cause, stderr, stage, timedOut, LIMIT, ROOT);
    }

    private static ExecException exited(int code) {
        return new ExecException("exit " + code, null, null, code);
    }

    /**
     * camel-exec ends an ffprobe that runs past its limit with SIGTERM (exit 143): that was told as a signal from
     * outside, retried, then as a file that is not a video.
     */
    @Test
    void an_ffprobe_out_of_time_says_so() {
        FailureClassifier.Verdict probe = classify(exited(143), "", "probe", true);
        assertEquals("timeout", probe.category());
        assertEquals("ffprobe could not read the file within its limit of 2 minutes and was stopped.", probe.reason());
        assertEquals("FFmpeg could not read the file within its limit of 10 minutes and was stopped.",
                classify(exited(143), "", "measure", true).reason(), "the measure of a guessed length");
        assertEquals("not_a_video", classify(exited(1), "", "measure", false).category());
        assertEquals("FFmpeg could not read the file within its limit of 5 minutes and was stopped.",
                FailureClassifier.classify(exited(143), "", "measure", true, Duration.ofMinutes(5), ROOT).reason(),
                "the encode's limit, where shorter: the watcher stops a measure at it");
        FailureClassifier.Verdict verify = classify(exited(143), "", "verify", true);
        assertEquals("ffprobe could not read the output within its limit of 2 minutes and was stopped.",
                verify.reason());
        assertEquals("not_a_video", classify(exited(1), "", "probe", false).category());
    }

    /** The file was never read: the machine's fault, which another attempt may not meet, not the client's. */
    @Test
    void a_program_the_sandbox_could_not_start_is_an_internal_failure_worth_another_attempt() {
        FailureClassifier.Verdict wrapper = classify(exited(1), "unshare: unshare failed: Operation not permitted\n",
                "probe", false);
        assertEquals(new FailureClassifier.Verdict("internal", "The service could not start FFmpeg: unshare: unshare "
                + "failed: Operation not permitted"), wrapper);
        assertEquals("internal", classify(exited(127), "", "encode", false).category());
        assertTrue(RetryPolicy.worthAnother(null, exited(127), "").isPresent());
        assertTrue(RetryPolicy.worthAnother(null, exited(1), "setpriv: failed to execute ffprobe: No such file")
                .isPresent());
        assertTrue(RetryPolicy.worthAnother(null, exited(1), "Invalid data found when processing input").isEmpty());
    }

    @Test
    void the_standard_error_read_is_a_failed_programs_and_none_for_anything_else() {
        ExecException exec = new ExecException("exit 1", null,
                new ByteArrayInputStream("Invalid data found".getBytes(StandardCharsets.UTF_8)), 1);
        assertEquals("Invalid data found", FailureClassifier.stderrOf(exec));
        assertEquals("", FailureClassifier.stderrOf(new ExecException("exit 1", null, null, 1)));
        assertEquals("", FailureClassifier.stderrOf(new IllegalStateException("no program")));
    }

    @Test
    void a_job_failure_keeps_its_own_category_and_words() {
        FailureClassifier.Verdict verdict = classify(new JobFailure("no_video_stream", "The file has no video stream."),
                "", "encode", false);
        assertEquals(new FailureClassifier.Verdict("no_video_stream", "The file has no video stream."), verdict);
    }

    @ParameterizedTest
    @ValueSource(strings = {"probe", "encode", "verify"})
    void a_format_off_the_whitelist_is_refused_in_any_step(String stage) {
        FailureClassifier.Verdict verdict = classify(exited(1),
                "[concat @ 0x1] Format not on whitelist 'mov'\n", stage, false);
        assertEquals("format_refused", verdict.category());
        assertTrue(verdict.reason().contains("not"), verdict.reason());
    }

    @Test
    void a_failed_probe_means_not_a_video_with_ffmpegs_words_and_no_storage_path() {
        FailureClassifier.Verdict verdict = classify(exited(1),
                ROOT + "/abc/input.mp4: Invalid data found when processing input\n", "probe", false);
        assertEquals("not_a_video", verdict.category());
        assertEquals("The file is not a video FFmpeg can read: abc/input.mp4: Invalid data found when processing input",
                verdict.reason());
    }

    @Test
    void a_failed_verification_names_the_output_unreadable() {
        FailureClassifier.Verdict verdict = classify(exited(1), "", "verify", false);
        assertEquals(new FailureClassifier.Verdict("verification", "Verification failed: the output cannot be read."),
                verdict);
    }

    @Test
    void an_encode_over_its_limit_is_a_timeout_naming_the_limit() {
        FailureClassifier.Verdict verdict = classify(exited(255), "killed", "encode", true);
        assertEquals(new FailureClassifier.Verdict("timeout",
                "FFmpeg ran longer than the limit of 120 minutes and was stopped."), verdict);
    }

    @Test
    void a_failed_encode_names_its_exit_code_and_last_words() {
        FailureClassifier.Verdict verdict = classify(exited(187), "Conversion failed!\n", "encode", false);
        assertEquals(new FailureClassifier.Verdict("ffmpeg_error", "FFmpeg failed (exit code 187): Conversion failed!"),
                verdict);
    }

    @Test
    void any_other_fault_is_internal() {
        FailureClassifier.Verdict verdict = classify(new IllegalStateException("disk gone"), "", "encode", false);
        assertEquals(new FailureClassifier.Verdict("internal", "Transcoding failed: disk gone"), verdict);
    }

    /** A step of a split (the join's parts fetched one by one) throws it wrapped: judged as itself all the same. */
    @Test
    void a_job_failure_wrapped_by_a_split_is_judged_as_itself() {
        Exception wrapped = new CamelExchangeException("Multicast processing failed for number 0",
                null, new PartsGone("0b6a6f5e-1c1e-4c36-9bd3-5b9a1a2f3c4d"));

        FailureClassifier.Verdict verdict = classify(wrapped, "", "encode", false);

        assertEquals("internal", verdict.category());
        assertEquals(new PartsGone("0b6a6f5e-1c1e-4c36-9bd3-5b9a1a2f3c4d").getMessage(), verdict.reason());
    }
}
