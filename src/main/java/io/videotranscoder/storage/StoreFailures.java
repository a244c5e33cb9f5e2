package io.videotranscoder.storage;

import java.util.Optional;

import org.apache.camel.util.ObjectHelper;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Which failures of an object store are the store's for now (away, failing, overloaded), not the job's for good. */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** Whether {@code cause} or one of its causes is the object store's (its SDK's), whether passing or not. */
    public static boolean isStoreFailure(Throwable cause) {
        return ObjectHelper.getException(SdkException.class, cause) != null;
    }

    /** The store's failure in {@code cause} or its causes that another attempt may not meet, described. */
    public static Optional<String> passing(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException) {
                return Optional.of("The object store could not be reached (" + t.getMessage() + ")");
            }
            if (t instanceof SdkServiceException answer && (answer.statusCode() >= 500 || answer.isThrottlingException())) {
                return Optional.of("The object store failed (HTTP " + answer.statusCode() + ")");
            }
        }
        return Optional.empty();
    }
}
