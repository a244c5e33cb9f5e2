package io.videotranscoder.webhook;

import java.net.UnknownHostException;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A delivery's history says the same of a name that resolves to an internal address and of one that does not
     * resolve: otherwise a client could map which names resolve inside the service's network.
     */
    @Test
    void a_name_that_does_not_resolve_reads_as_a_refused_one_in_the_history() {
        String url = "https://probe.example/hook";
        String refused = Sender.describe(new IllegalStateException(new AddressRefused(AddressPolicy.notPublic(
                "probe.example"))), url);

        assertEquals(refused, Sender.describe(new IllegalStateException(new UnknownHostException(
                "probe.example: Name or service not known")), url));
        assertTrue(refused.startsWith("AddressRefused: probe.example does not resolve, or resolves to"), refused);
        assertTrue(Sender.describe(new TimedLookups.NotNow("probe.example did not resolve within 5000 ms"), url)
                .contains("within 5000 ms"), "no answer in time is said as such");
    }
}
