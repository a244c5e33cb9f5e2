package io.videotranscoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.util.ObjectHelper;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The failures both worker routes (jobs and parts) catch and judge ({@link RetryPolicy}), named once for both (their
 * catches' {@code onWhen}). A lost lease, a stop and a retry are none of these: they pass on to the routes' own
 * handling.
 */
public final class JudgedFailures implements Predicate {

    /**
     * FFmpeg's exit, a refusal of the input or its outputs, the object store away or failing; then a defect of this
     * service, or this machine's input or output, tried again and named when the job is given up. Causes count too,
     * as Camel's own matching of a catch's types does: Redis failing for a moment (a Jedis failure caused by one of
     * these) is judged as such; with Redis away, the judge's own look fails, and the entry is delivered again once it
     * is back.
     */
    private static final List<Class<? extends Throwable>> TYPES = List.of(ExecException.class, JobFailure.class,
            SdkException.class, IOException.class, UncheckedIOException.class, IllegalStateException.class,
            IllegalArgumentException.class, NullPointerException.class, IndexOutOfBoundsException.class,
            ClassCastException.class, ArithmeticException.class, UnsupportedOperationException.class,
            NoSuchElementException.class);

    /** Whether the exchange's failure, or any of its causes, is one the routes judge. */
    @Override
    public boolean matches(Exchange exchange) {
        return TYPES.stream().anyMatch(type -> ObjectHelper.getException(type, exchange.getException()) != null);
    }
}
