package io.videotranscoder.job;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The housekeeping route with its real beans, run by a test instead of its timer: a step that fails keeps none after
 * it from its turn.
 */
@CamelMainTest(replaceRouteFromWith = "housekeeping=direct:housekeep",
               advices = @AdviceRouteMapping(route = "housekeeping", advice = HousekeepingRouteTest.FailingStep.class),
               properties = {"transcoder.data-dir=target/housekeeping-route-test/videos",
                             "transcoder.inbox-dir=target/housekeeping-route-test/inbox",
                             "transcoder.http-port=18183", "transcoder.management-port=18184",
                             "transcoder.queue-block=100ms"})
class HousekeepingRouteTest {

    /** Sweeps of staged copies made, the step after the failing one but two. */
    static final AtomicInteger SWEPT = new AtomicInteger();

    /** The stale uploads' abort fails, as it does when a file goes between a listing and its look. */
    public static class FailingStep extends AdviceWithRouteBuilder {
        @Override
        public void configure() {
            weaveById("abort-stale-uploads").replace().throwException(new IllegalStateException("a step failed"));
            weaveById("sweep-staged-copies").before().process(exchange -> SWEPT.incrementAndGet());
        }
    }

    @Produce("direct:housekeep")
    ProducerTemplate housekeeping;

    @Test
    void a_failing_step_keeps_none_after_it_from_its_turn() {
        int before = SWEPT.get();

        housekeeping.sendBody(null);

        assertEquals(before + 1, SWEPT.get(), "the steps after the failing one ran");
    }
}
