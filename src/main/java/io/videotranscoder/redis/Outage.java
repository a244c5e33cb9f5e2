package io.videotranscoder.redis;

import org.slf4j.Logger;

/**
 * How a task that retries through a Redis outage reports it: one WARN line when Redis becomes unreachable, one INFO
 * line when it is back, and nothing for each failed try in between (those go to DEBUG).
 */
public final class Outage {

    private final Logger log;
    private final String task;
    private long since;

    /** @param task what is retried, as the log lines name it, e.g. "the job queue's pollers" */
    public Outage(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    /** A try failed because Redis could not be reached. */
    public synchronized void failed(RuntimeException cause) {
        if (since == 0) {
            since = System.currentTimeMillis();
            log.warn("Redis unreachable for {} ({}); retrying until it is back", task, cause.getMessage());
        } else {
            log.debug("Redis still unreachable for {}: {}", task, cause.getMessage());
        }
    }

    /** A try reached Redis. */
    public synchronized void reached() {
        if (since != 0) {
            log.info("Redis reachable again for {} after {} s", task, (System.currentTimeMillis() - since) / 1000);
            since = 0;
        }
    }
}
