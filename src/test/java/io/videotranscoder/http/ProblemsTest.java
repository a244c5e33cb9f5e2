package io.videotranscoder.http;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A request the service failed: a 503 to send again later when a store is away or overloaded, else a 500. */
class ProblemsTest {

    private static int statusFor(Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(Exchange.HTTP_URI, "/jobs/x/output");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("wrapped", cause));
        new Problems().internal(exchange);
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    @Test
    void the_object_store_unreachable_overloaded_or_failing_is_a_503() {
        assertEquals(503, statusFor(SdkClientException.create("connection refused")));
        assertEquals(503, statusFor(S3Exception.builder().statusCode(503).message("Slow Down").build()));
        assertEquals(503, statusFor(S3Exception.builder().statusCode(500).message("We encountered an internal error")
                .build()));
    }

    /** Redis away, or refusing writes for now (full, a replica since a failover, loading), is a 503 too. */
    @Test
    void redis_away_or_refusing_writes_for_now_is_a_503() {
        assertEquals(503, statusFor(new JedisConnectionException("Unexpected end of stream.")));
        assertEquals(503, statusFor(new JedisDataException("OOM command not allowed when used memory > 'maxmemory'.")));
        assertEquals(503, statusFor(new JedisDataException("READONLY You can't write against a read only replica.")));
        assertEquals(503, statusFor(new JedisDataException("LOADING Redis is loading the dataset in memory")));
        assertEquals(500, statusFor(new JedisDataException("ERR wrong number of arguments for 'hset' command")));
    }

    @Test
    void the_object_store_refusing_the_service_is_its_fault_a_500() {
        assertEquals(500, statusFor(S3Exception.builder().statusCode(403).message("Access Denied").build()));
        assertEquals(500, statusFor(new IllegalStateException("a bug")));
    }
}
