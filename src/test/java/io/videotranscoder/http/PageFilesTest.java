package io.videotranscoder.http;

import java.util.List;
import java.util.Optional;

import io.videotranscoder.ffmpeg.TranscodeOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageFilesTest {

    /** Anyone, with no key, may ask for any name under /page/: each name the jar lacks was kept, for ever. */
    @Test
    void keeps_the_pages_files_once_read_and_no_name_the_jar_lacks() {
        PageFiles page = new PageFiles(0, Optional.empty());

        for (int i = 0; i < 100; i++) {
            assertEquals(0, page.file("missing-" + i + ".js").body().length());
        }
        assertEquals(0, page.kept());
        PageFiles.PageFile app = page.file("app.js");
        assertTrue(app.body().length() > 0);
        assertSame(app, page.file("app.js"), "read once");
        assertEquals(1, page.kept());
    }

    /** The page keeps a key: nothing but its own script runs in it, nothing frames it, and no form leaves it. */
    @Test
    void the_pages_policy_runs_only_its_own_script_and_sends_no_form() {
        for (Optional<String> store : List.of(Optional.<String>empty(), Optional.of("https://store.example"))) {
            List<String> directives = List.of(PageFiles.policy(store).split(";\\s*"));

            assertTrue(directives.contains("default-src 'self'"), directives.toString());
            assertTrue(directives.stream().noneMatch(d -> d.startsWith("script-src")), "scripts: 'self' only");
            assertTrue(directives.containsAll(List.of("object-src 'none'", "base-uri 'self'", "form-action 'none'",
                    "frame-ancestors 'none'")), directives.toString());
            assertFalse(PageFiles.policy(store).contains("unsafe-") || PageFiles.policy(store).contains("data:"),
                    directives.toString());
        }
    }

    /** A custom field left blank takes the service's default, which its placeholder says. */
    @Test
    void the_custom_fields_placeholders_are_the_services_defaults() throws Exception {
        String page;
        try (var in = PageFilesTest.class.getResourceAsStream("/page/index.html")) {
            page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        TranscodeOptions defaults = TranscodeOptions.DEFAULT;
        assertTrue(page.contains("id=\"codec\" name=\"codec\" list=\"codecs\" placeholder=\"" + defaults.codec()
                + " if left blank\""), "codec");
        assertTrue(page.contains("placeholder=\"" + defaults.bitrate() + " if left blank\""), "bitrate");
        assertTrue(page.contains("placeholder=\"" + defaults.width() + "x" + defaults.height() + " if left blank\""),
                "resolution");
    }
}
