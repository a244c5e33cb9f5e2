package io.videotranscoder.job;

import java.util.List;

/**
 * A job cannot be done, for a reason retrying will not change. The message says it to a person; the category counts
 * it in metrics (a few fixed words, never the message).
 */
public class JobFailure extends RuntimeException {

    /** Every category a failed job is counted under, exported at zero from the start. */
    public static final List<String> CATEGORIES = List.of("not_a_video", "no_video_stream", "no_audio_stream",
            "encoder_missing", "ffmpeg_error", "timeout", "no_output", "verification", "gave_up", "internal",
            "format_refused", "input_limit");

    private final String category;

    public JobFailure(String category, String reason) {
        super(reason);
        this.category = category;
    }

    public String category() {
        return category;
    }
}
