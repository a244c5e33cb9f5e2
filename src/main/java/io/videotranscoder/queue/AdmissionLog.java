package io.videotranscoder.queue;

import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An endpoint's {@link Admission}, asked by each of its pollers, and said in the log once as it closes and opens. */
final class AdmissionLog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamConsumer.class);
    private final Admission admission;
    private final String stream;
    private final AtomicReference<String> closed = new AtomicReference<>();

    AdmissionLog(Admission admission, String stream) {
        this.admission = admission;
        this.stream = stream;
    }

    boolean open() {
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
