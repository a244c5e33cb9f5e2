package io.videotranscoder.http;

import java.util.List;

import io.videotranscoder.http.CrossSiteGuard.Verdict;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossSiteGuardTest {

    private static final CrossSiteGuard GUARD = new CrossSiteGuard(new CrossOrigin(8080,
            List.of("https://player.example")), "https://videos.example", 8080);

    private static boolean refused(HttpMethod method, String... headers) {
        return verdict(method, headers) == Verdict.REFUSE;
    }

    private static Verdict verdict(HttpMethod method, String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap().add("Host", "127.0.0.1:8080");
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        return GUARD.verdict(method, map);
    }

    @Test
    void a_change_from_a_page_of_another_origin_is_refused() {
        assertTrue(refused(HttpMethod.POST, "Origin", "https://evil.example"));
        assertTrue(refused(HttpMethod.DELETE, "Origin", "http://127.0.0.1:3000"), "another port is another origin");
        assertTrue(refused(HttpMethod.PATCH, "Origin", "null"), "a sandboxed frame or a file");
        assertTrue(refused(HttpMethod.POST, "Sec-Fetch-Site", "cross-site"));
        assertTrue(refused(HttpMethod.POST, "Sec-Fetch-Site", "same-site"), "localhost:3000 is same-site here");
        assertTrue(refused(HttpMethod.POST, "Origin", "http://127.0.0.1:8080", "Sec-Fetch-Site", "cross-site"),
                "the browser's word wins over an Origin that matches the Host");
    }

    @Test
    void the_service_s_own_pages_an_allowed_origin_and_clients_that_are_not_browsers_pass() {
        assertFalse(refused(HttpMethod.POST, "Origin", "http://127.0.0.1:8080"), "the page the service serves");
        assertFalse(refused(HttpMethod.POST, "Origin", "http://127.0.0.1:8080", "Sec-Fetch-Site", "same-origin"));
        assertFalse(refused(HttpMethod.POST, "Sec-Fetch-Site", "none"), "typed by the user");
        assertFalse(refused(HttpMethod.POST, "Origin", "https://videos.example", "Sec-Fetch-Site", "cross-site"),
                "the public URL's origin, behind a proxy that rewrites Host");
        assertFalse(refused(HttpMethod.POST, "Origin", "https://player.example", "Sec-Fetch-Site", "cross-site"),
                "an origin CORS allows");
        assertFalse(refused(HttpMethod.POST), "curl");
    }

    /**
     * A change from elsewhere with a key header is the key check's to decide: a page elsewhere cannot send one without
     * a preflight, which CORS answers only for origins it allows; where no key is checked, the access check refuses it
     * ({@code AccessGuard}; {@code ProtectedModeIT} checks it with every origin allowed).
     */
    @Test
    void reads_pass_and_changes_with_a_key_are_left_to_the_key_check() {
        assertEquals(Verdict.PASS, verdict(HttpMethod.GET, "Origin", "https://evil.example", "Sec-Fetch-Site",
                "cross-site"));
        assertEquals(Verdict.PASS, verdict(HttpMethod.HEAD, "Sec-Fetch-Site", "cross-site"));
        assertEquals(Verdict.PASS, verdict(HttpMethod.OPTIONS, "Origin", "https://evil.example"),
                "a preflight, CORS's to answer");
        assertEquals(Verdict.KEY_DECIDES, verdict(HttpMethod.POST, "Origin", "https://evil.example", "X-API-Key",
                "vt_x_y"));
        assertEquals(Verdict.KEY_DECIDES, verdict(HttpMethod.DELETE, "Sec-Fetch-Site", "cross-site", "Authorization",
                "Bearer vt_x_y"));
        assertEquals(Verdict.PASS, verdict(HttpMethod.POST, "Origin", "http://127.0.0.1:8080", "X-API-Key", "vt_x_y"),
                "from the service's own page, a key header changes nothing");
    }

    /**
     * A browser adds the Basic (or Negotiate) credentials it cached for this origin, a proxy's login in front of the
     * service, to another site's form post: no key, and where keys are not checked nothing else would refuse it.
     */
    @Test
    void a_cross_site_change_with_credentials_the_browser_adds_by_itself_is_refused() {
        assertTrue(refused(HttpMethod.POST, "Sec-Fetch-Site", "cross-site", "Authorization", "Basic dXNlcjpwYXNz"));
        assertTrue(refused(HttpMethod.POST, "Origin", "https://evil.example", "Authorization", "Negotiate YII="));
        assertEquals(Verdict.KEY_DECIDES, verdict(HttpMethod.POST, "Sec-Fetch-Site", "cross-site", "Authorization",
                "bearer vt_x_y"));
    }

    /**
     * {@code *} lets every site's pages use a key; it lets none act without one, where no key is needed (protected
     * mode, checks off): every page the machine's user opens would make, cancel and remove jobs.
     */
    @Test
    void every_origin_allowed_still_lets_no_page_elsewhere_change_anything_without_a_key() {
        CrossSiteGuard any = new CrossSiteGuard(new CrossOrigin(8080, List.of("*")), "", 8080);
        MultiMap fromElsewhere = MultiMap.caseInsensitiveMultiMap().add("Host", "127.0.0.1:8080")
                .add("Origin", "https://evil.example").add("Sec-Fetch-Site", "cross-site");

        assertEquals(Verdict.REFUSE, any.verdict(HttpMethod.POST, fromElsewhere));
        assertEquals(Verdict.REFUSE, any.verdict(HttpMethod.DELETE, fromElsewhere));
        assertEquals(Verdict.KEY_DECIDES, any.verdict(HttpMethod.POST, fromElsewhere.add("X-API-Key", "vt_x_y")),
                "with a key header: the key check's, which refuses it where it checks none");
    }
}
