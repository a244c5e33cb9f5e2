package io.videotranscoder.job;

import io.videotranscoder.queue.RedisStreamConstants;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;

/**
 * FFmpeg was stopped from outside (the JVM shutting down, an operator's kill): says nothing about the job, which
 * stays on the queue to be run again.
 */
public class JobInterrupted extends RuntimeException {

    public JobInterrupted(String message) {
        super(message);
    }

    /**
     * Thrown when {@code caught} is a program that this worker's shutdown stopped (no cancel or watchdog asked it to
     * stop): the entry goes back on the queue, for another worker at once, since the work itself did not fail.
     */
    static void ifStoppedByShutdown(Exchange exchange, EncodeWatcher.Stop stop, Exception caught, String running) {
        if (stop == null && caught instanceof ExecException exec
            && (EncodeWatcher.shuttingDown() || exchange.getContext().isStopping())) {
            exchange.getMessage().setHeader(RedisStreamConstants.RETRY_DELAY, 0L);
            exchange.getMessage().setHeader(RedisStreamConstants.STOPPED_UNCOUNTED, true); // no attempt of the job's
            throw new JobInterrupted("FFmpeg was stopped (exit code " + exec.getExitValue() + ") by the shutdown"
                                     + " of this worker while running " + running + "; it stays queued");
        }
    }
}
