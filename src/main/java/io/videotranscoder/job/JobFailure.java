package io.videotranscoder.job;

/**
 * A job cannot be done, for a reason retrying will not change. The message says it to a person; the category counts
 * it in metrics (a few fixed words, never the message).
 */
public class JobFailure extends RuntimeException {

    private final String category;

    public JobFailure(String category, String reason) {
        super(reason);
        this.category = category;
    }

    public String category() {
        return category;
    }
}
