package io.videotranscoder.http;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
