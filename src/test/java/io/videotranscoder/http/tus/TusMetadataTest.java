package io.videotranscoder.http.tus;

import java.util.LinkedHashMap;
import java.util.Map;

import io.videotranscoder.refusal.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TusMetadataTest {

    @Test
    void reads_pairs_of_keys_and_base64_values_and_keys_alone() {
        Map<String, String> values = TusMetadata.parse("filename d29ybGRfZG9taW5hdGlvbl9wbGFuLnBkZg==,is_confidential");
        assertEquals(Map.of("filename", "world_domination_plan.pdf", "is_confidential", ""), values);
    }

    @Test
    void writes_what_it_reads() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("filename", "Fête d'été 東京.mov");
        values.put("preset", "hls-ladder");
        assertEquals(values, TusMetadata.parse(TusMetadata.format(values)));
    }

    @Test
    void an_absent_header_is_no_metadata() {
        assertTrue(TusMetadata.parse(null).isEmpty());
        assertTrue(TusMetadata.parse(" ").isEmpty());
    }

    @Test
    void refuses_values_not_in_base64_repeated_keys_and_extra_parts() {
        for (String header : new String[] {"filename not-base64!", "a YQ==,a Yg==", "a YQ== extra", ", a YQ==",
                "x".repeat(TusMetadata.MAX_LENGTH + 1)}) {
            Refusal refusal = assertThrows(Refusal.class, () -> TusMetadata.parse(header), header);
            assertEquals("Upload-Metadata", refusal.field());
        }
    }

    @Test
    void a_new_upload_is_located_relative_to_where_it_was_created() {
        assertEquals("uploads/abc", TusHandlers.location("/uploads", "abc"));
        assertEquals("abc", TusHandlers.location("/uploads/", "abc"));
    }
}
