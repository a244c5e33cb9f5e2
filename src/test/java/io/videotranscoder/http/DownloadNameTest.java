package io.videotranscoder.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.videotranscoder.job.Job;
import io.videotranscoder.job.JobStatus;
import io.videotranscoder.preset.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file name a download is saved under: from the uploaded name and the preset, safe whatever the client sent. */
class DownloadNameTest {

    private static Job job(String uploaded, Preset preset, String... outputs) {
        return new Job("58c243b8-e30a-474e-b707-9ef819067e7b", JobStatus.SUCCEEDED, "api", "default", uploaded, preset,
                "input.mp4", 10, Instant.EPOCH, null, null, 1, null, "vm",
                Arrays.stream(outputs).map(o -> new Job.Output(o, 5)).toList(), Job.Progress.NONE, null);
    }

    private static Preset preset(String name, String container) {
        return new Preset(name, null, container, null, null, null, null, null, null);
    }

    @Test
    void a_video_is_an_attachment_named_after_the_upload_and_the_preset() {
        Job job = job("holiday.mov", preset("h264-720p", "mp4"), "output.mp4");
        assertEquals("attachment; filename=\"holiday-h264-720p.mp4\"; filename*=UTF-8''holiday-h264-720p.mp4",
                DownloadName.contentDisposition(job, "output.mp4"));
    }

    @Test
    void hls_files_and_posters_stay_inline_for_players_and_browsers() {
        Job ladder = job("holiday.mov", preset("hls-ladder", "hls"), "master.m3u8", "stream_0.m3u8", "init_0.mp4");
        assertEquals("inline; filename=\"holiday-hls-ladder.m3u8\"; filename*=UTF-8''holiday-hls-ladder.m3u8",
                DownloadName.contentDisposition(ladder, "master.m3u8"));
        assertTrue(DownloadName.contentDisposition(ladder, "init_0.mp4")
                .startsWith("inline; filename=\"holiday-hls-ladder-init_0.mp4\""));
        Job poster = job("holiday.mov", preset("thumbnail", "jpg"), "poster.jpg");
        assertTrue(DownloadName.contentDisposition(poster, "poster.jpg")
                .startsWith("inline; filename=\"holiday-thumbnail.jpg\""));
    }

    @Test
    void a_job_without_an_uploaded_name_takes_its_input_name() {
        Job job = job(null, preset("vp9-720p", "webm"), "output.webm");
        assertTrue(DownloadName.contentDisposition(job, "output.webm").contains("filename=\"input-vp9-720p.webm\""));
    }

    @Test
    void the_stem_keeps_the_last_segment_without_control_path_or_reserved_characters() {
        Map<String, String> stems = new LinkedHashMap<>();
        stems.put("holiday.mov", "holiday");
        stems.put("../../etc/passwd", "passwd");
        stems.put("C:\\Users\\ann\\My clip.avi", "My clip");
        stems.put("\"quoted\" name.mp4", "_quoted_ name");
        stems.put("evil\r\nSet-Cookie: x=1.mp4", "evil Set-Cookie_ x=1");
        stems.put("clip\u202Egpj.exe.mp4", "clipgpj.exe");
        stems.put("a<b>c|d?e*f.mp4", "a_b_c_d_e_f");
        stems.put("...", "video");
        stems.put("  .hidden.mp4", "hidden");
        stems.put("", "video");
        stems.put("/", "video");
        stems.forEach((uploaded, stem) -> assertEquals(stem, DownloadName.stem(uploaded), uploaded));
    }

    @Test
    void a_non_ascii_name_travels_in_filename_star_with_an_ascii_fallback() {
        String header = DownloadName.header("attachment", "Café 東京 100%-h264-720p.mp4");
        assertEquals("attachment; filename=\"Cafe _ 100_-h264-720p.mp4\"; "
                     + "filename*=UTF-8''Caf%C3%A9%20%E6%9D%B1%E4%BA%AC%20100%25-h264-720p.mp4", header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b.mp4", "a\\b.mp4", "line\nbreak.mp4", "tab\there.mp4", "nul\u0000.mp4",
            "zero\u200Bwidth.mp4", "emoji \uD83C\uDFAC.mp4", "lone \uD800 surrogate.mp4"})
    void any_uploaded_name_gives_a_header_a_client_parses_as_one_quoted_name(String uploaded) {
        String name = DownloadName.fileName(uploaded, "h264-720p", "output.mp4", true);
        String header = DownloadName.header("attachment", name);
        String fallback = header.substring(header.indexOf("filename=\"") + 10, header.indexOf("\"; filename*="));

        assertTrue(fallback.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%'), fallback);
        assertTrue(header.substring(header.indexOf("filename*=UTF-8''") + 17).matches("[A-Za-z0-9!#$&+.^_`|~%-]+"));
        assertTrue(name.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                                                    || Character.getType(c) == Character.SURROGATE), name);
        assertTrue(name.endsWith("-h264-720p.mp4"), name);
    }

    @Test
    void a_long_name_is_cut_in_its_stem_never_in_the_preset_or_extension() {
        String name = DownloadName.fileName("é".repeat(300) + ".mov", "h264-720p", "output.mp4", true);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= DownloadName.MAX_NAME_BYTES, name);
        assertTrue(name.endsWith("é-h264-720p.mp4"), name);
    }

    @Test
    void percent_encoding_leaves_only_rfc_8187_attr_chars() {
        assertEquals("a%20b%22%3B%2F%C3%BC", DownloadName.percentEncoded("a b\";/ü"));
        assertEquals("A-z.0_~!#$&+^`|", DownloadName.percentEncoded("A-z.0_~!#$&+^`|"));
    }
}
