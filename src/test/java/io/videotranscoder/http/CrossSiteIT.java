package io.videotranscoder.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import io.videotranscoder.support.Http;
import io.videotranscoder.support.Media;
import io.videotranscoder.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-site request forgery against a service in protected mode, over real HTTP from loopback (where no key is
 * needed): what a page of another site makes its visitor's browser send (a form POST, a no-cors DELETE) is refused;
 * the service's own page, an origin CORS allows, and curl are served.
 */
class CrossSiteIT {

    @TempDir
    static Path root;
    static TestApp app;
    static Http http;
    static Path clip;

    @BeforeAll
    static void start() throws Exception {
        clip = Media.clip(root, "clip.mp4", 1, "320x240");
        app = TestApp.start(root.resolve("data"), Map.of("transcoder.cors-allowed-origins", "https://player.example"));
        http = app.http();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static Http.Answer submit(String... headers) throws Exception {
        return http.upload("/jobs", clip, "clip.mp4", Map.of(), headers);
    }

    private static int jobs() throws Exception {
        return http.get("/jobs").json().path("jobs").size();
    }

    private static double refusals() throws Exception {
        String series = "transcoder_auth_failures_total{camelContext=\"video-transcoder\",reason=\"cross_site\"} ";
        return app.management().get("/observe/metrics").body().lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()))).findFirst().orElse(Double.NaN);
    }

    @Test
    void a_form_posted_from_another_site_makes_no_job() throws Exception {
        int before = jobs();
        double refused = refusals();

        Http.Answer byOrigin = submit("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        Http.Answer bySite = submit("Sec-Fetch-Site", "cross-site");
        Http.Answer otherPort = submit("Origin", "http://127.0.0.1:3000");

        for (Http.Answer answer : new Http.Answer[] {byOrigin, bySite, otherPort}) {
            assertEquals(403, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(answer.json().path("detail").asText().contains("another site"), answer.body());
        }
        assertEquals(before, jobs(), "no job made");
        assertEquals(refused + 3, refusals());
    }

    @Test
    void a_no_cors_delete_from_another_site_cancels_nothing() throws Exception {
        String id = submit().json().path("id").asText();

        Http.Answer answer = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/jobs/" + id)).DELETE()
                .header("Origin", "https://evil.example").build());

        assertEquals(403, answer.status(), answer.body());
        assertTrue(!"cancelled".equals(http.get("/jobs/" + id).json().path("status").asText()));
    }

    @Test
    void the_service_s_own_page_an_allowed_origin_and_curl_are_served() throws Exception {
        String own = "http://" + URI.create(http.base()).getRawAuthority();

        assertEquals(202, submit("Origin", own, "Sec-Fetch-Site", "same-origin").status(), "the page at /");
        assertEquals(202, submit("Origin", own).status(), "a browser that sends no Sec-Fetch-Site");
        assertEquals(202, submit("Origin", "https://player.example", "Sec-Fetch-Site", "cross-site").status(),
                "a site CORS allows");
        assertEquals(202, submit().status(), "curl");
    }
}
