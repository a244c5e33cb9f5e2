package io.videotranscoder.queue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a consumer's pollers may take entries: each with a permit of the slots it shares with other streams' consumers
 * (if any), and while its {@link Admission} lets them, which is said in the log once as it closes and as it opens.
 */
final class Turns {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);
    private final Semaphore slots;
    private final Admission admission;
    private final String stream;
    private final AtomicReference<String> closed = new AtomicReference<>();

    Turns(Semaphore slots, Admission admission, String stream) {
        this.slots = slots;
        this.admission = admission;
        this.stream = stream;
    }

    /** A permit of the shared slots, if any; false when none came in a quarter second. */
    boolean takeSlot() {
        try {
            return slots == null || slots.tryAcquire(250, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void releaseSlot() {
        if (slots != null) {
            slots.release();
        }
    }

    /** Whether entries may be taken now. */
    boolean admitted() {
        String refusal = admission == null ? null : admission.refusal();
        String before = closed.getAndSet(refusal);
        if (refusal != null && before == null) {
            LOG.warn("Taking no entries from {} while {}: they stay queued", stream, refusal);
        } else if (refusal == null && before != null) {
            LOG.info("Taking entries from {} again", stream);
        }
        return refusal == null;
    }
}
