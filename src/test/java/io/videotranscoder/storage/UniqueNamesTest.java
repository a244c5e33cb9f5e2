package io.videotranscoder.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UniqueNamesTest {

    @TempDir
    Path dir;

    private static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void a_short_name_is_kept_and_a_taken_one_gets_a_suffix_before_the_extension() throws Exception {
        Files.writeString(dir.resolve("a.mp4"), "taken");
        Path source = Files.writeString(dir.resolve("source"), "new");

        assertEquals(dir.resolve("a-1.mp4"), UniqueNames.move(source, dir, "a.mp4"));
        assertEquals("taken", Files.readString(dir.resolve("a.mp4")));
    }

    @Test
    void a_long_name_loses_the_end_of_its_stem_and_keeps_its_extension_within_255_bytes() {
        UniqueNames.Name name = UniqueNames.Name.of("x".repeat(300) + ".mp4");

        String first = name.candidate(0, 255);
        String tenth = name.candidate(10, 255);

        assertEquals(255, bytes(first));
        assertTrue(first.endsWith("x.mp4"), first);
        assertEquals(255, bytes(tenth));
        assertTrue(tenth.endsWith("x-10.mp4"), tenth);
    }

    @Test
    void the_kept_part_survives_shortening_and_the_suffix_follows_it() {
        UniqueNames.Name name = new UniqueNames.Name("n".repeat(246), "-h264-720p", ".mp4");

        assertEquals("n".repeat(241) + "-h264-720p.mp4", name.candidate(0, 255));
        assertEquals("n".repeat(239) + "-h264-720p-1.mp4", name.candidate(1, 255));
    }

    @Test
    void multibyte_characters_are_counted_in_bytes_and_never_cut_in_half() {
        String candidate = UniqueNames.Name.of("é".repeat(200) + "😀".repeat(20) + ".mkv").candidate(0, 245);

        assertTrue(bytes(candidate) <= 245, candidate);
        assertTrue(candidate.endsWith(".mkv"));
        assertEquals(candidate, new String(candidate.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertTrue(candidate.codePoints().allMatch(c -> c == 'é' || c == 0x1F600 || ".mkv".indexOf(c) >= 0));
    }

    @Test
    void a_long_dotted_tail_is_not_taken_for_an_extension() {
        UniqueNames.Name name = UniqueNames.Name.of("film." + "t".repeat(40));

        assertEquals("", name.ext());
        assertEquals("film." + "t".repeat(40) + "-1", name.candidate(1, 255));
    }
}
