package io.videotranscoder.job;

/** A job cannot be done, for a reason retrying will not change (the message says it to a person). */
public class JobFailure extends RuntimeException {

    public JobFailure(String reason) {
        super(reason);
    }
}
