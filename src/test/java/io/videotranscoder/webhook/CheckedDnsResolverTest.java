package io.videotranscoder.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckedDnsResolverTest {

    /** Answers a public address first, then loopback: a DNS rebinding. */
    private static HostResolver rebinding() throws UnknownHostException {
        Deque<InetAddress> answers = new ArrayDeque<>();
        answers.add(InetAddress.getByName("93.184.216.34"));
        answers.add(InetAddress.getByName("127.0.0.1"));
        return host -> new InetAddress[] {answers.size() > 1 ? answers.poll() : answers.peek()};
    }

    @Test
    void each_lookup_is_checked_so_a_rebinding_host_is_refused_at_the_second() throws Exception {
        CheckedDnsResolver resolver = new CheckedDnsResolver(rebinding(), AddressPolicy.allowing(""));

        assertArrayEquals(new InetAddress[] {InetAddress.getByName("93.184.216.34")}, resolver.resolve("rebind.example"));
        AddressRefused refused = assertThrows(AddressRefused.class, () -> resolver.resolve("rebind.example"));
        assertEquals(AddressPolicy.notPublic("rebind.example"), refused.getMessage(), "nor where it points now");
    }

    /** Whether a name resolves inside, or at all, is not told: either answer would map the service's network. */
    @Test
    void a_name_resolving_inside_and_one_resolving_nowhere_are_refused_alike() {
        WebhookTargets targets = new WebhookTargets(new CheckedDnsResolver(host -> {
            if (host.startsWith("redis.")) {
                return new InetAddress[] {InetAddress.getByName("10.0.3.7")};
            }
            throw new UnknownHostException(host);
        }, AddressPolicy.allowing("")));

        Refusal inside = assertThrows(Refusal.class, () -> targets.require("url", "http://redis.example/"));
        Refusal nowhere = assertThrows(Refusal.class, () -> targets.require("url", "http://nosuch.example/"));

        assertEquals("url is refused: " + AddressPolicy.notPublic("redis.example") + ".", inside.getMessage());
        assertEquals(inside.getMessage().replace("redis.example", "nosuch.example"), nowhere.getMessage());
    }

    /** A finished resumable upload whose callback is refused is thrown away: a DNS outage must not refuse it. */
    @Test
    void a_name_not_looked_up_now_is_a_503_not_a_refused_url() {
        TimedLookups lookups = new TimedLookups(host -> {
            throw new UnknownHostException(host + ": Temporary failure in name resolution");
        }, Executors.newSingleThreadExecutor(), Duration.ofSeconds(5));
        WebhookTargets targets = new WebhookTargets(new CheckedDnsResolver(lookups, AddressPolicy.allowing("")));

        Refusal later = assertThrows(Refusal.class, () -> targets.require("callbackUrl", "https://hooks.example/"));

        assertEquals(Refusal.Kind.UNAVAILABLE, later.kind(), later.getMessage());
    }

    @Test
    void the_check_at_submission_takes_the_first_answer_and_refuses_internal_ones() throws Exception {
        WebhookTargets targets = new WebhookTargets(new CheckedDnsResolver(rebinding(), AddressPolicy.allowing("")));

        assertEquals("http://rebind.example:8080/hook", targets.require("url", "http://rebind.example:8080/hook"));
        Refusal refused = assertThrows(Refusal.class, () -> targets.require("url", "http://rebind.example/hook"));
        assertEquals(Refusal.Kind.INVALID_FIELD, refused.kind());
        assertEquals("url", refused.field());
    }

    @Test
    void only_http_and_https_urls_with_a_host_and_no_credentials_are_taken() {
        WebhookTargets targets = new WebhookTargets(new CheckedDnsResolver(
                host -> new InetAddress[] {InetAddress.getByName("93.184.216.34")}, AddressPolicy.allowing("")));

        for (String url : new String[] {"ftp://a.example/x", "file:///etc/passwd", "gopher://a.example/",
            "http://user:pw@a.example/x", "http:///x", "https://a.example/x#frag", "not a url", "", "//a.example/x"}) {
            Refusal refused = assertThrows(Refusal.class, () -> targets.require("callbackUrl", url), url);
            assertEquals("callbackUrl", refused.field());
        }
        assertEquals("https://a.example/x?token=1", targets.require("callbackUrl", "https://a.example/x?token=1"));
    }

    @Test
    void literal_addresses_are_checked_like_names() {
        WebhookTargets targets = new WebhookTargets(new CheckedDnsResolver(HostResolver.SYSTEM,
                AddressPolicy.allowing("")));

        for (String url : new String[] {"http://127.0.0.1/", "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/",
            "http://169.254.169.254/latest/meta-data", "http://0.0.0.0:9876/", "http://[fd00::1]/",
            "http://2130706433/"}) {
            assertThrows(Refusal.class, () -> targets.require("url", url), url);
        }
    }
}
