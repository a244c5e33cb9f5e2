package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A lookup a DNS server never answers holds its caller no longer than the limit, and never every thread. */
class TimedLookupsTest {

    private final CountDownLatch answer = new CountDownLatch(1);
    /** One lookup thread, one place in its queue. */
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1));

    /**
     * Answers {@code public.example} and addresses at once; any other name only once the test lets it, whatever
     * interrupts it meanwhile, as the system's resolver does.
     */
    private InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.matches("[0-9.]+")) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        while (!host.equals("public.example")) {
            try {
                answer.await();
                break;
            } catch (InterruptedException e) {
                // ignored
            }
        }
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})};
    }

    @AfterEach
    void release() {
        answer.countDown();
        pool.shutdownNow();
    }

    @Test
    void a_lookup_past_its_limit_is_a_host_not_looked_up_now() {
        TimedLookups lookups = new TimedLookups(this::resolve, pool, Duration.ofMillis(200));

        UnknownHostException slow = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(TimedLookups.NotNow.class, () -> lookups.resolve("slow.example")));

        assertEquals("slow.example did not resolve within 200 ms", slow.getMessage());
    }

    /** The resolver remembers a failure for a while, and answers it again as a name that does not exist. */
    @Test
    void a_host_that_got_no_answer_is_not_refused_for_the_failure_its_resolver_remembers() {
        AtomicInteger asked = new AtomicInteger();
        TimedLookups lookups = new TimedLookups(host -> {
            throw new UnknownHostException(asked.incrementAndGet() == 1 ? host + ": Temporary failure in name "
                                                                          + "resolution" : host);
        }, pool, Duration.ofSeconds(5));

        assertThrows(TimedLookups.NotNow.class, () -> lookups.resolve("flaky.example"));
        assertThrows(TimedLookups.NotNow.class, () -> lookups.resolve("flaky.example"));
        UnknownHostException other = assertThrows(UnknownHostException.class, () -> lookups.resolve("nosuch.example"));
        assertFalse(other instanceof TimedLookups.NotNow, "a name that does not exist still does not");
    }

    @Test
    void with_every_thread_and_queue_place_taken_a_lookup_is_refused_at_once() throws Exception {
        TimedLookups lookups = new TimedLookups(this::resolve, pool, Duration.ofMillis(100));
        // The one thread keeps the first slow lookup (cancelling it interrupts it: this one ignores that, as the
        // system's resolver does); the queue keeps the second.
        pool.submit(() -> {
            answer.await();
            return null;
        });
        pool.submit(() -> null);

        UnknownHostException refused = assertThrows(TimedLookups.Busy.class, () -> lookups.resolve("third.example"));
        assertEquals("third.example was not looked up: too many lookups at once", refused.getMessage(),
                "refused, not waited for");
        assertEquals("203.0.113.9", lookups.resolve("203.0.113.9")[0].getHostAddress(), "an address takes no thread");
        Refusal busy = assertThrows(Refusal.class, () -> new WebhookTargets(new CheckedDnsResolver(lookups,
                AddressPolicy.allowing(""))).require("callbackUrl", "https://fourth.example/hook"));
        assertEquals(Refusal.Kind.UNAVAILABLE, busy.kind(), "the service's to answer for (503), not the URL's");

        answer.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getActiveCount() == 0 && pool.getQueue().isEmpty());
        assertArrayEquals(resolve("public.example"), lookups.resolve("public.example"), "free again: answered");
    }

    /**
     * One client's callbacks on random names under a domain whose DNS never answers take its share of the threads, and
     * keep it until the resolver returns (not at the caller's limit): another domain's names are still looked up.
     */
    @Test
    void the_names_of_one_domain_hold_at_most_its_share_of_the_threads_until_their_lookups_end() throws Exception {
        ThreadPoolExecutor wide = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8));
        try {
            TimedLookups lookups = new TimedLookups(this::resolve, wide, Duration.ofMillis(100));
            for (int i = 0; i < TimedLookups.PER_DOMAIN; i++) {
                String name = "r" + i + ".slow-ns.example";
                assertThrows(TimedLookups.NotNow.class, () -> lookups.resolve(name), "past the caller's limit");
            }

            UnknownHostException share = assertThrows(TimedLookups.Busy.class,
                    () -> lookups.resolve("R9.Slow-NS.example."));
            assertEquals("R9.Slow-NS.example. was not looked up: too many lookups of slow-ns.example's names at once",
                    share.getMessage());
            assertArrayEquals(resolve("public.example"), lookups.resolve("public.example"), "another domain's");
            ExecutorService burst = Executors.newFixedThreadPool(6);
            try { // a healthy domain's lookups take their turns, none refused
                List<Future<InetAddress[]>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    answers.add(burst.submit(() -> lookups.resolve("public.example")));
                }
                for (Future<InetAddress[]> answered : answers) {
                    assertArrayEquals(resolve("public.example"), answered.get(5, TimeUnit.SECONDS));
                }
            } finally {
                burst.shutdownNow();
            }

            answer.countDown(); // the resolver returns at last: the share is free again
            await().atMost(Duration.ofSeconds(10)).until(() -> wide.getActiveCount() == 0);
            assertEquals(4, lookups.resolve("r10.slow-ns.example")[0].getAddress().length);
        } finally {
            wide.shutdownNow();
        }
    }
}
