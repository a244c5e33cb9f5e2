package io.videotranscoder.job;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JudgedFailuresTest {

    private final JudgedFailures judged = new JudgedFailures();

    private boolean judges(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setException(failure);
        return judged.matches(exchange);
    }

    @Test
    void the_jobs_own_failures_and_the_services_defects_are_judged() {
        assertTrue(judges(new ExecException("exit 1", null, null, 1)));
        assertTrue(judges(new JobFailure("not_a_video", "The file is not a video.")));
        assertTrue(judges(SdkClientException.create("the store is away")));
        assertTrue(judges(new IOException("No space left on device")));
        assertTrue(judges(new NullPointerException()));
        assertTrue(judges(new IllegalStateException("a defect")));
    }

    @Test
    void a_failure_caused_by_one_is_judged_as_camels_catch_matches_causes() {
        assertTrue(judges(new JedisConnectionException(new IOException("Connection reset"))));
        assertFalse(judges(new JedisConnectionException("Connection refused")), "Redis away: delivered again later");
    }

    @Test
    void a_lost_lease_a_stop_and_a_retry_pass_on_to_the_routes_handling() {
        assertFalse(judges(new AttemptLost("91b5b636-23ba-4dbe-9da0-be31553b7e30", "0a1b2c3d")));
        assertFalse(judges(new JobRetry("handed back")));
        assertFalse(judges(new RuntimeException("anything else")));
    }
}
