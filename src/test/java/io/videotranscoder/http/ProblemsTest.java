package io.videotranscoder.http;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
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

    @Test
    void the_object_store_refusing_the_service_is_its_fault_a_500() {
        assertEquals(500, statusFor(S3Exception.builder().statusCode(403).message("Access Denied").build()));
        assertEquals(500, statusFor(new IllegalStateException("a bug")));
    }
}
