package io.videotranscoder.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.videotranscoder.queue.RedisStreamConstants;
import io.videotranscoder.support.RedisServer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the sender makes of a delivery before it tries the receiver, against a real Redis. */
class SenderTest {

    @RegisterExtension
    static final RedisServer SERVER = new RedisServer(2);

    /**
     * A job's callback answered 410 to one of its deliveries (the receiver retired) while another waited for its
     * retry: the one waiting is given up, not tried again for days.
     */
    @Test
    void a_callback_gone_takes_the_jobs_waiting_deliveries_with_it() {
        String prefix = "sender:" + System.nanoTime() + ":";
        DeliveryStore store = new DeliveryStore(SERVER.client(), prefix);
        Endpoints endpoints = new Endpoints(SERVER.client(), prefix);
        Judge judge = TestJudges.judge(store, endpoints);
        Sender sender = new Sender(store, endpoints, judge, new CallbackKeys("a-secret".getBytes(
                StandardCharsets.UTF_8)), Duration.ofSeconds(15), 4, Clock.systemUTC());
        Delivery queued = new Delivery("d1", "msg_1", "j1", "acme", EventType.QUEUED, Delivery.CALLBACK,
                "https://hooks.example/h", "{}", Instant.now(), 1, Delivery.State.PENDING, null, null);
        store.create(queued);
        String entry = SERVER.client().xrange(store.sendStream(), "-", "+").get(0).getID().toString();
        store.markCallbackGone("j1", Duration.ofDays(1)); // its job.succeeded was answered 410

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(RedisStreamConstants.ENTRY_ID, entry);
        exchange.getIn().setBody(Map.of("delivery", "d1"));
        sender.prepare(exchange);

        assertEquals(Delivery.State.ABANDONED, store.load("d1").orElseThrow().state());
        assertNull(exchange.getIn().getHeader(Exchange.HTTP_URI), "not sent");
    }
}
