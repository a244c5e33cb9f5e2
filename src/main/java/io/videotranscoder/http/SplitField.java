package io.videotranscoder.http;

import java.util.Locale;

import io.videotranscoder.job.JobSubmitter;
import io.videotranscoder.refusal.Refusal;
import org.apache.camel.Exchange;

/**
 * The {@code split} field of a new job (a form field of {@code POST /jobs}, an upload's metadata): {@code false} runs
 * a long input as one encode on one worker rather than in segments.
 */
public class SplitField {

    public static final String FIELD = "split";

    /** Reads the field from the request's header of that name, for the step that stores the job. */
    public void read(Exchange exchange) {
        if (!allowed(exchange.getIn().getHeader(FIELD, String.class))) {
            exchange.setProperty(JobSubmitter.SPLIT_OFF, true);
        }
    }

    /**
     * @return whether the job may be split: the field is absent, blank or true
     * @throws Refusal when it is neither true nor false
     */
    public static boolean allowed(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Refusal.invalidField(FIELD, "split must be true or false, not '" + value.strip() + "'.");
        };
    }
}
