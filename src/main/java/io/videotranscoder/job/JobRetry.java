package io.videotranscoder.job;

/** An attempt stopped for a reason another attempt may not meet (a stall, a machine too slow): run the job again. */
public class JobRetry extends RuntimeException {

    public JobRetry(String reason) {
        super(reason);
    }
}
