package io.videotranscoder.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.videotranscoder.ffmpeg.FfmpegErrors;
import io.videotranscoder.ffmpeg.InputPolicy;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.util.ObjectHelper;

/**
 * Why a job failed, from what is known once its programs have ended: a category for the metrics (a few fixed words)
 * and a reason for a person. A pure function of its arguments, so that every case is a unit test.
 */
public final class FailureClassifier {

    /** What the job's record and its meters say about a failure. */
    public record Verdict(String category, String reason) {
    }

    private FailureClassifier() {
    }

    /** The job's failure that {@code cause} is or wraps: also as a split's step threw it, wrapped by the split. */
    static Optional<JobFailure> failureIn(Throwable cause) {
        return Optional.ofNullable(ObjectHelper.getException(JobFailure.class, cause));
    }

    /** The standard error camel-exec kept of the program that failed, "" when what failed was not a program. */
    public static String stderrOf(Exception cause) {
        InputStream stderr = cause instanceof ExecException exec ? exec.getStderr() : null;
        if (stderr == null) {
            return "";
        }
        try {
            return new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * @param cause         what ended the attempt: a {@link JobFailure}, a program's {@link ExecException}, or a fault
     * @param stderr        the failed program's standard error ("" when there is none)
     * @param stage         the step that ran last: {@code probe}, {@code measure}, {@code encode} or {@code verify}
     * @param timedOut      whether the step ran into its time limit
     * @param encodeTimeout the limit of an encode, named in the reason
     * @param hiddenRoot    the storage root, kept out of FFmpeg's words
     */
    public static Verdict classify(Exception cause, String stderr, String stage, boolean timedOut,
            Duration encodeTimeout, String hiddenRoot) {
        Optional<JobFailure> failure = failureIn(cause);
        if (failure.isPresent()) {
            return new Verdict(failure.get().category(), failure.get().getMessage());
        }
        if (!(cause instanceof ExecException exec)) {
            return new Verdict("internal", "Transcoding failed: " + cause.getMessage());
        }
        Optional<String> launch = launchFailure(cause, stderr);
        if (launch.isPresent()) {
            return new Verdict("internal", "The service could not start FFmpeg: " + launch.get());
        }
        Optional<String> refused = InputPolicy.formatRefusal(stderr);
        if (refused.isPresent()) {
            return new Verdict("format_refused", refused.get());
        }
        String summary = FfmpegErrors.summarize(stderr, hiddenRoot);
        String detail = summary.isEmpty() ? "." : ": " + summary;
        return switch (String.valueOf(stage)) {
            case "probe", "measure" -> timedOut
                    ? probeTimedOut(stage.equals("probe") ? "ffprobe" : "FFmpeg", "the file",
                    ExecStages.limit(stage, encodeTimeout))
                    : new Verdict("not_a_video", "The file is not a video FFmpeg can read" + detail);
            case "verify" -> timedOut ? probeTimedOut("ffprobe", "the output", ExecStages.PROBE_TIMEOUT)
                    : new Verdict("verification", "Verification failed: the output cannot be read" + detail);
            default -> timedOut
                    ? new Verdict("timeout", "FFmpeg ran longer than the limit of " + encodeTimeout.toMinutes()
                                             + " minutes and was stopped.")
                    : new Verdict("ffmpeg_error", "FFmpeg failed (exit code " + exec.getExitValue() + ")" + detail);
        };
    }

    /**
     * What the sandbox's wrappers said when they could not start the program (a fault of the machine's, never of the
     * input: the file was not read): their own words, or the shell's exit codes for a program that cannot be run.
     */
    static Optional<String> launchFailure(Exception cause, String stderr) {
        String first = stderr.strip().lines().findFirst().orElse("");
        if (first.startsWith("setpriv:") || first.startsWith("prlimit:") || first.startsWith("unshare:")) {
            return Optional.of(first);
        }
        if (cause instanceof ExecException exec && (exec.getExitValue() == 126 || exec.getExitValue() == 127)) {
            return Optional.of(first.isEmpty() ? "exit code " + exec.getExitValue() : first);
        }
        return Optional.empty();
    }

    private static Verdict probeTimedOut(String program, String what, Duration limit) {
        return new Verdict("timeout", program + " could not read " + what + " within its limit of "
                                      + limit.toMinutes() + " minutes and was stopped.");
    }
}
