package io.videotranscoder.job;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * Joins the probe run beside an encode (the multicast's first branch) to the encode: the encode's exchange goes on,
 * its failure included, carrying the probe's verdict, which {@link ProbeVerdicts} weighs once the encode has ended.
 */
public class ProbeBesideEncode implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange joined, Exchange next) {
        if (joined == null) {
            return next;
        }
        boolean probeFirst = joined.getProperty(ExchangePropertyKey.MULTICAST_INDEX, 0, Integer.class) == 0;
        Exchange probe = probeFirst ? joined : next;
        Exchange encode = probeFirst ? next : joined;
        ProbeBeside verdict = probe.getProperty(ProbeVerdicts.BESIDE, ProbeBeside.class);
        if (verdict == null) { // the probe could not even be run
            Exception failure = probe.getException() != null ? probe.getException()
                    : new IllegalStateException("The probe beside the encode gave no verdict");
            verdict = ProbeBeside.failed(failure, ExecStages.started(probe));
        }
        encode.setProperty(ProbeVerdicts.BESIDE, verdict);
        return encode;
    }
}
