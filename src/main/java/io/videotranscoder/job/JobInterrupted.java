package io.videotranscoder.job;

/**
 * FFmpeg was stopped from outside (the JVM shutting down, an operator's kill): says nothing about the job, which
 * stays on the queue to be run again.
 */
public class JobInterrupted extends RuntimeException {

    public JobInterrupted(String message) {
        super(message);
    }
}
