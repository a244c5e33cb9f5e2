package io.videotranscoder.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.component.exec.ExecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.exceptions.JedisConnectionException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** A failed attempt is tried again only for reasons another attempt may not meet, after a doubling backoff. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5));

    private static ExecException exited(int code) {
        return new ExecException("exit " + code, null, null, code);
    }

    @Test
    void the_backoff_doubles_with_each_attempt_up_to_a_thousand_times() {
        assertEquals(5_000, policy.delayMillis(1));
        assertEquals(10_000, policy.delayMillis(2));
        assertEquals(40_000, policy.delayMillis(4));
        assertEquals(5_000L << 10, policy.delayMillis(11));
        assertEquals(5_000L << 10, policy.delayMillis(50));
    }

    @Test
    void the_error_names_the_attempt_the_reason_and_the_wait() {
        assertEquals("Attempt 2: FFmpeg stalled; retrying in 10 s.",
                RetryPolicy.error("Attempt 2", "FFmpeg stalled", 10_000));
    }

    @Test
    void the_last_reason_of_a_job_given_up_on_announces_no_retry() {
        assertEquals("Segment 2, attempt 3: FFmpeg stalled.", RetryPolicy.lastReason(
                RetryPolicy.error("Segment 2, attempt 3", "FFmpeg stalled", 40_000)));
        assertEquals("Cancelled at the client's request.",
                RetryPolicy.lastReason("Cancelled at the client's request."));
    }

    @Test
    void a_stall_or_a_slow_encode_is_tried_again() {
        assertTrue(RetryPolicy.afterStop(EncodeWatcher.Stop.STALLED).orElseThrow().contains("no progress"));
        assertTrue(RetryPolicy.afterStop(EncodeWatcher.Stop.TOO_SLOW).orElseThrow().contains("far longer"));
    }

    @ParameterizedTest
    @EnumSource(value = EncodeWatcher.Stop.class, names = {"CANCELLED", "TIMEOUT", "REFUSED", "LOST"})
    void other_stops_are_not_tried_again(EncodeWatcher.Stop stop) {
        assertEquals(Optional.empty(), RetryPolicy.afterStop(stop));
        assertEquals(Optional.empty(), RetryPolicy.afterStop(null));
    }

    @Test
    void a_signal_this_service_did_not_send_is_tried_again() {
        String reason = RetryPolicy.afterSignal(null, exited(137)).orElseThrow();
        assertTrue(reason.startsWith("FFmpeg was ended by signal 9,"), reason);
    }

    @Test
    void a_signal_after_a_stop_of_the_watcher_is_its_own() {
        assertEquals(Optional.empty(), RetryPolicy.afterSignal(EncodeWatcher.Stop.TIMEOUT, exited(137)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 128, 234, 244, 255})
    void an_exit_of_ffmpeg_itself_is_not_tried_again(int exit) {
        assertEquals(Optional.empty(), RetryPolicy.afterSignal(null, exited(exit)));
    }

    @Test
    void a_failure_that_is_not_a_program_exit_is_not_tried_again() {
        assertEquals(Optional.empty(), RetryPolicy.afterSignal(null, new JobFailure("no_output", "none")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[out#0/mp4 @ 0x5581] Error writing trailer: No space left on device",
        "av_interleaved_write_frame(): Disk quota exceeded"})
    void a_disk_that_filled_up_is_tried_again(String stderr) {
        assertEquals(Optional.of("The disk filled up while FFmpeg wrote the output"),
                RetryPolicy.afterShortage(stderr));
    }

    @Test
    void another_attempt_is_worth_it_for_a_stall_a_signal_from_outside_or_a_full_disk_only() {
        assertTrue(RetryPolicy.worthAnother(EncodeWatcher.Stop.STALLED, exited(1), "").orElseThrow()
                .contains("no progress"));
        assertTrue(RetryPolicy.worthAnother(null, exited(137), "").orElseThrow().contains("signal 9"));
        assertTrue(RetryPolicy.worthAnother(null, exited(1), "No space left on device").orElseThrow()
                .contains("disk filled up"));
        assertEquals(Optional.empty(), RetryPolicy.worthAnother(null, exited(1), "Invalid data found"));
        assertEquals(Optional.empty(), RetryPolicy.worthAnother(EncodeWatcher.Stop.TIMEOUT, exited(137), ""));
    }

    /** FFmpeg's HLS muxer exits 0 past a failed write: the cut file found after it is worth another attempt. */
    @Test
    void a_cut_output_is_worth_another_attempt_and_its_last_fails_as_no_output() {
        CutOutput cut = new CutOutput("stream_1_001.m4s");

        assertEquals(Optional.of(CutOutput.WHY), RetryPolicy.worthAnother(null, cut, ""));
        assertEquals("no_output", cut.category());
        assertTrue(cut.getMessage().contains("stream_1_001.m4s cut short"), cut.getMessage());
        assertEquals(Optional.empty(), RetryPolicy.worthAnother(null, new JobFailure("no_output", "none"), ""));
    }

    @Test
    void an_error_of_the_input_is_not_a_shortage() {
        assertEquals(Optional.empty(), RetryPolicy.afterShortage("Invalid data found when processing input"));
        assertEquals(Optional.empty(), RetryPolicy.afterShortage(""));
    }

    /** A failure of the service itself is named by its kind; FFmpeg's, a job's and the store's are judged as before. */
    @Test
    void only_a_failure_of_the_service_itself_is_internal() {
        assertEquals(Optional.of("an internal error in this service (NullPointerException; the worker's log has it)"),
                RetryPolicy.internal(new NullPointerException("/srv/videos/secret-folder")));
        assertEquals(Optional.empty(), RetryPolicy.internal(new ExecException("ffmpeg exited with 1", null, null, 1)));
        assertEquals(Optional.empty(), RetryPolicy.internal(new JobFailure("verification", "Verification failed.")));
        assertEquals(Optional.empty(), RetryPolicy.internal(new IllegalStateException("wrapped",
                SdkClientException.create("no route to the store"))));
    }

    /** Redis failing for a moment (Jedis wraps the socket's failure) is named as such, not as the service's. */
    @Test
    void a_failure_of_redis_met_during_the_job_is_named_as_such() {
        Exception lost = new JedisConnectionException(new SocketTimeoutException("Read timed out"));
        assertEquals(Optional.of("Redis failed while the job ran (JedisConnectionException)"),
                RetryPolicy.worthAnother(null, lost, ""));
    }

    /** A full disk under the service's own writes is that, not a failure of the service. */
    @Test
    void a_full_disk_under_the_services_own_write_is_named_as_such() {
        Exception full = new UncheckedIOException(new FileSystemException("/data/x/output.mp4", null,
                "No space left on device"));
        assertEquals(Optional.of("The disk filled up while the service wrote the job's files"),
                RetryPolicy.worthAnother(null, full, ""));
        assertEquals(Optional.empty(), RetryPolicy.afterFullDisk(new UncheckedIOException(new IOException("closed"))));
    }
}
