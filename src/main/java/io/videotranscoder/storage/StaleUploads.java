package io.videotranscoder.storage;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Gives up the uploads into the object store that a killed API left unfinished: a store keeps the parts of an upload
 * never completed or aborted, out of every listing but billed, until told. An upload older than the age is no longer
 * being sent (a part arrives every few seconds at worst; a 8 GiB upload at 1 MB/s takes under three hours).
 */
public class StaleUploads {

    private static final Logger LOG = LoggerFactory.getLogger(StaleUploads.class);

    private final Storage storage;
    private final Duration age;
    private final Clock clock;

    public StaleUploads(Storage storage, Duration age, Clock clock) {
        this.storage = storage;
        this.age = age;
        this.clock = clock;
    }

    /** Housekeeping's step; the store unreachable is tried again in the next period. */
    public void abort() {
        if (storage.local()) {
            return;
        }
        try {
            int aborted = storage.abortUploadsBegunBefore(clock.instant().minus(age));
            if (aborted > 0) {
                LOG.info("Gave up {} uploads into the object store left unfinished for over {}", aborted, age);
            }
        } catch (SdkException e) {
            LOG.warn("Could not list the object store's unfinished uploads: {}", e.getMessage());
        }
    }
}
